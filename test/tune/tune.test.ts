import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { compileRule, parsePromptFile } from '../../src/rules/index.js';
import { makeProject, readProjectFile, removeProject, synth, synthJson, writeProjectFile } from '../support/project.js';
import { type RunJson } from '../support/cli-json.js';
import { DEFS, jsonl, liveOrders, SHOP_V1 } from './tune-fixture.js';

interface TuneJson {
  prompt_id: string;
  derived_from: string;
  file: string;
  written: boolean;
  applied: string[];
  datasets: string[];
  changes: { kind: string; path?: string; column?: string; after?: unknown; why: string }[];
  diff: string;
}
interface ShowJson {
  checks: { name: string; passed: boolean }[];
  report?: { checks: { name: string; details: { columns?: { column: string; psi: number | null }[] } }[] };
}

const FEEDBACK = [
  { id: 'o1', fields: { category: 'Garden' }, column: 'channel', error: 'wrong_channel', value: 'store', correct: 'web' },
  { id: 'o2', fields: { category: 'Garden' }, column: 'channel', error: 'wrong_channel', value: 'store', correct: 'web', origin: 'production' },
  { id: 'o3', fields: { category: 'Toys' }, column: 'price', error: 'too_low', value: 3 },
];

let dirs: string[] = [];
afterEach(() => {
  dirs.forEach(removeProject);
  dirs = [];
});
function project(feedback: unknown[] = []): string {
  const dir = makeProject({
    'src/assets/index.ts': DEFS,
    'prompts/shop_v1.yaml': SHOP_V1,
    'data/live/orders.jsonl': jsonl(liveOrders()),
    'data/feedback/errors.jsonl': jsonl(feedback),
  });
  dirs.push(dir);
  return dir;
}
const psiOf = (dir: string) => {
  const report = synthJson<ShowJson>(dir, ['show', 'live_drift']).json.report!;
  return Object.fromEntries(report.checks.find((c) => c.name === 'drift')!.details.columns!.map((c) => [c.column, c.psi]));
};

describe('synth tune: the next prompt version from live drift', () => {
  it('writes v2 (never editing v1) whose data drifts less and keeps the old rules; mined rules hold on every live row', () => {
    const dir = project();
    expect(synthJson<RunJson>(dir, ['materialize']).code).toBe(0);
    const before = psiOf(dir);
    // The live data drifted: shifted prices, a new category, more missing channels.
    expect(before.price).toBeGreaterThan(0.25);
    expect(before.category).toBeGreaterThan(0.25);
    expect(before.channel).toBeGreaterThanOrEqual(0.1);

    // --dry-run prints the plan and writes nothing.
    const dry = synth(dir, ['tune', 'shop_v1', '--from', 'live_drift', '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('+prompt_id: shop_v2');
    expect(dry.stdout).toContain('Why:');
    expect(dry.stdout).toContain('dry run: nothing written');
    expect(existsSync(path.join(dir, 'prompts/shop_v2.yaml'))).toBe(false);

    const tuned = synthJson<TuneJson>(dir, ['tune', 'shop_v1', '--from', 'live_drift', '--apply']);
    expect(tuned.code).toBe(0);
    expect(tuned.json).toMatchObject({
      prompt_id: 'shop_v2',
      derived_from: 'shop_v1',
      file: 'prompts/shop_v2.yaml',
      written: true,
      applied: ['src/assets/index.ts'],
      datasets: ['products'],
    });
    expect(readProjectFile(dir, 'prompts/shop_v1.yaml')).toBe(SHOP_V1);
    expect(readProjectFile(dir, 'src/assets/index.ts')).toContain("prompt: 'shop_v2'");
    const v2 = parsePromptFile(path.join(dir, 'prompts/shop_v2.yaml'), readProjectFile(dir, 'prompts/shop_v2.yaml'));
    expect(v2).toMatchObject({ id: 'shop_v2', version: '2', derivedFrom: 'shop_v1' });
    expect(v2.evidence.length).toBeGreaterThanOrEqual(4);
    // Every change says why; the new category and the missing channels are carried over.
    expect(tuned.json.changes.every((c) => c.why.length > 20)).toBe(true);
    expect(Object.keys(v2.columns.category.categories as object)).toContain('Garden');
    expect(v2.columns.price.mean as number).toBeGreaterThan(65);
    expect(v2.noise?.missing?.channel).toBeGreaterThan(0.1);
    // The old rules are kept; mined rules hold on every live row.
    expect(v2.rules[0].text).toBe('price > 0');
    const mined = tuned.json.changes.filter((c) => c.kind === 'rule').map((c) => c.after as string);
    expect(mined).toContain('if channel == "store", category == "Home"');
    for (const text of mined) expect(liveOrders().every((r) => compileRule(text).test(r))).toBe(true);

    // v2's data drifts less: below the moderate level (0.1) on the drifted columns, and passes every rule.
    const run = synthJson<RunJson>(dir, ['materialize']);
    expect(run.code).toBe(0);
    const after = psiOf(dir);
    for (const column of ['price', 'category', 'channel']) expect(after[column]).toBeLessThan(0.1);
    expect(synthJson<ShowJson>(dir, ['show', 'live_drift']).json.checks.find((c) => c.name === 'rules')?.passed).toBe(true);

    // The loop goes on from v2 (the old prompt is no longer used: tuning it says so).
    const again = synthJson<TuneJson>(dir, ['tune', 'shop_v2', '--from', 'live', '--dry-run']);
    expect(again.json).toMatchObject({ prompt_id: 'shop_v3', derived_from: 'shop_v2' });
    expect(synth(dir, ['tune', 'shop_v1', '--from', 'live']).stderr).toContain('No dataset uses prompt "shop_v1"');
  });

  it('turns frequent feedback patterns into rules (a single record is not a pattern)', () => {
    const dir = project(FEEDBACK);
    expect(synthJson<RunJson>(dir, ['materialize']).code).toBe(0);
    const tuned = synthJson<TuneJson>(dir, ['tune', 'shop_v1', '--from', 'errors', '--dry-run']);
    expect(tuned.code).toBe(0);
    expect(tuned.json.written).toBe(false);
    const rules = tuned.json.changes.filter((c) => c.kind === 'rule');
    expect(rules).toEqual([expect.objectContaining({ after: 'if category == "Garden", channel == "web"', why: expect.stringContaining('2 feedback records report "wrong_channel"') })]);
  });
});

describe('synth tune: bad input (exit 2)', () => {
  it('no evidence, an unknown prompt id, an unknown --from asset, a feedback file with unknown fields', () => {
    const dir = project();
    expect(synthJson<RunJson>(dir, ['materialize']).code).toBe(0);
    const none = synth(dir, ['tune', 'shop_v1', '--from', 'errors']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('No evidence to tune "shop_v1"');
    const unknown = synth(dir, ['tune', 'shop_v9', '--from', 'live']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Prompt "shop_v9" not found');
    expect(unknown.stderr).toContain("Did you mean 'shop_v1'");
    const asset = synth(dir, ['tune', 'shop_v1', '--from', 'lve']);
    expect(asset.code).toBe(2);
    expect(asset.stderr).toContain('Unknown asset "lve" in --from');
    writeProjectFile(dir, 'data/feedback/errors.jsonl', `${JSON.stringify(FEEDBACK[0])}\n{"error": "x", "colum": "price"}\n`);
    const bad = synth(dir, ['tune', 'shop_v1', '--from', 'errors']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/errors\.jsonl:2: unknown field "colum"/);
    expect(bad.stderr).toContain('column');
    expect(bad.stderr).not.toMatch(/\.js:\d+:\d+/);
    expect(existsSync(path.join(dir, 'prompts/shop_v2.yaml'))).toBe(false);
  });
});

describe('synth tune --apply: the forms a prompt id is written in', () => {
  const datasetLine = "export const products = dataset({ name: 'products', schema: Order, prompt: 'shop_v1', rows: 600, seed: 11 });";
  /** DEFS with the products dataset's prompt written as `prompt` (and `before` above it). */
  const variant = (prompt: string, before = '') => DEFS.replace(datasetLine, `${before}${datasetLine.replace("prompt: 'shop_v1'", prompt)}`);

  it('rewrites literals in any quotes, a const holding the id, the shorthand; refuses an id built in code (exit 2, file:line, nothing written)', () => {
    const dir = project();
    expect(synthJson<RunJson>(dir, ['materialize']).code).toBe(0);
    const rewrites: [string, string, string][] = [
      ['prompt: "shop_v1"', '', 'prompt: "shop_v2"'],
      ['prompt: `shop_v1`', '', 'prompt: `shop_v2`'],
      ['prompt: SHOP_PROMPT', "// prompt: 'shop_v1' was the first version\nconst SHOP_PROMPT: string = 'shop_v1';\n", "const SHOP_PROMPT: string = 'shop_v2';"],
      ['prompt', "const prompt = 'shop_v1';\n", "const prompt = 'shop_v2';"],
    ];
    for (const [form, before, expected] of rewrites) {
      writeProjectFile(dir, 'src/assets/index.ts', variant(form, before));
      const tuned = synthJson<TuneJson>(dir, ['tune', 'shop_v1', '--from', 'live', '--apply']);
      expect(tuned.code, `${form}: ${tuned.stderr}`).toBe(0);
      expect(tuned.json.applied).toEqual(['src/assets/index.ts']);
      const after = readProjectFile(dir, 'src/assets/index.ts');
      expect(after).toContain(expected);
      // Only that literal changed: comments and the rest of the file are as they were.
      expect(after.replace(/shop_v2/g, 'shop_v1')).toBe(variant(form, before));
      rmSync(path.join(dir, 'prompts/shop_v2.yaml'));
    }

    for (const form of ['prompt: `shop_v${1}`', "prompt: 'shop_' + 'v1'", 'prompt: PROMPTS.shop']) {
      const text = variant(form, "const PROMPTS = { shop: 'shop_v1' };\n");
      writeProjectFile(dir, 'src/assets/index.ts', text);
      const line = text.split('\n').findIndex((l) => l.includes(form)) + 1;
      const refused = synth(dir, ['tune', 'shop_v1', '--from', 'live', '--apply']);
      expect(refused.code, form).toBe(2);
      expect(refused.stderr).toContain("--apply cannot point products at 'shop_v2' safely, so it changed nothing");
      expect(refused.stderr).toContain(`src/assets/index.ts:${line}: \`${form}\` computes the prompt id in code`);
      expect(refused.stderr).toContain(`then make src/assets/index.ts:${line} give 'shop_v2' instead of 'shop_v1'`);
      expect(refused.stderr).not.toMatch(/\.js:\d+:\d+/);
      expect(readProjectFile(dir, 'src/assets/index.ts')).toBe(text);
      expect(existsSync(path.join(dir, 'prompts/shop_v2.yaml'))).toBe(false);
    }
  });
});
