import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LineageReport, MaterializationDiff } from '../../src/inspect/index.js';
import { type RunJson } from '../support/cli-json.js';
import { makeProject, removeProject, synth, synthJson, writeProjectFile, readProjectFile } from '../support/project.js';

interface HistoryJson {
  id: string;
  seed: number | null;
  data_hash: string;
}

const byAsset = (r: RunJson) => Object.fromEntries(r.assets.map((a) => [a.asset, a]));

describe('synth lineage and history --diff on the penguins pipeline', () => {
  let dir: string;
  let first: Record<string, RunJson['assets'][number]>;
  let second: Record<string, RunJson['assets'][number]>;

  beforeAll(() => {
    dir = makeProject({}, { examples: true });
    const a = synthJson<RunJson>(dir, ['materialize', '+species_model']);
    expect(a.code, a.stderr).toBe(0);
    first = byAsset(a.json);
    const b = synthJson<RunJson>(dir, ['materialize', '+species_model', '--seed', '43']);
    expect(b.code, b.stderr).toBe(0);
    second = byAsset(b.json);
  });
  afterAll(() => removeProject(dir));

  it('names the exact synthetic dataset that trained the latest model, and the first one with --at', () => {
    expect(second.penguins_synth.outcome).toBe('materialized');
    expect(second.penguins_synth.data_hash).not.toBe(first.penguins_synth.data_hash);

    const latest = synthJson<LineageReport>(dir, ['lineage', 'species_model']);
    expect(latest.code).toBe(0);
    expect(latest.json.materialization?.materialization_id).toBe(second.species_model.materialization_id);
    const synthStep = latest.json.upstream.find((s) => s.asset === 'penguins_synth')!;
    expect(synthStep.data_hash).toBe(second.penguins_synth.data_hash);
    expect(synthStep.seed).toBe(43);
    expect(synthStep.prompt_id).toBe('penguins_v1');
    expect(synthStep.prompt_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(synthStep.generator).toMatchObject({ provider: 'local' });
    expect(synthStep.cache_key).toMatch(/^[0-9a-f]{64}$/);
    // The walk goes all the way up: the real source that fed the generator is there too.
    expect(latest.json.upstream.map((s) => s.asset)).toContain('penguins');
    expect(latest.json.mlflow).toBeNull();

    const old = synthJson<LineageReport>(dir, ['lineage', 'species_model', '--at', first.species_model.materialization_id!]);
    expect(old.code).toBe(0);
    const oldSynth = old.json.upstream.find((s) => s.asset === 'penguins_synth')!;
    expect(oldSynth.data_hash).toBe(first.penguins_synth.data_hash);
    expect(oldSynth.seed).toBe(42);

    // The text form says the same in one screen.
    const text = synth(dir, ['lineage', 'species_model', '--at', first.species_model.materialization_id!.slice(0, 16)]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(first.penguins_synth.data_hash!.slice(0, 12));
    expect(text.stdout).toContain('seed 42');
    expect(text.stdout).not.toContain(second.penguins_synth.data_hash!.slice(0, 12));
  });

  it('finds downstream consumers of a given dataset materialization', () => {
    const down = synthJson<LineageReport>(dir, ['lineage', 'penguins_synth', '--at', first.penguins_synth.materialization_id!]);
    expect(down.code).toBe(0);
    const model = down.json.downstream.find((s) => s.asset === 'species_model');
    expect(model?.materialization_id).toBe(first.species_model.materialization_id);
    expect(down.json.downstream.map((s) => s.materialization_id)).not.toContain(second.species_model.materialization_id);
  });

  it('rejects an --at id of another asset with a usage error', () => {
    const r = synth(dir, ['lineage', 'species_model', '--at', first.penguins_synth.materialization_id!]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('is a materialization of "penguins_synth"');
  });

  it('history --diff shows seed, data and metric changes between the two datasets and models', () => {
    const hist = synthJson<HistoryJson[]>(dir, ['history', 'penguins_synth']).json;
    expect(hist.map((h) => h.seed)).toEqual([43, 42]);
    const d = synthJson<MaterializationDiff>(dir, ['history', 'penguins_synth', '--diff', hist[1].id, hist[0].id]);
    expect(d.code).toBe(0);
    const fields = Object.fromEntries(d.json.changes.map((c) => [c.field, c]));
    expect(fields.seed).toMatchObject({ from: 42, to: 43, delta: 1 });
    expect(fields.data).toMatchObject({ from: first.penguins_synth.data_hash, to: second.penguins_synth.data_hash });
    expect(fields.cache_key).toBeDefined();
    expect(fields.prompt).toBeUndefined();
    expect(fields.rows).toBeUndefined();
    expect(d.json.prompt_diff).toBeNull();

    // No ids: the latest two. The model changed because its input data changed.
    const m = synthJson<MaterializationDiff>(dir, ['history', 'species_model', '--diff']);
    expect(m.json.from.id).toBe(first.species_model.materialization_id);
    expect(m.json.to.id).toBe(second.species_model.materialization_id);
    const mf = m.json.changes.map((c) => c.field);
    expect(mf).toContain('upstream:penguins_synth');
    expect(mf).not.toContain('upstream:penguins');
  });

  it('history --diff shows the prompt text diff from the stored prompt objects', () => {
    const promptFile = 'prompts/penguins_v1.yaml';
    const before = readProjectFile(dir, promptFile);
    writeProjectFile(dir, promptFile, before.trimEnd() + '\n# tuned for the spring release\n');
    try {
      expect(synth(dir, ['materialize', 'penguins_synth']).code).toBe(0);
      const d = synthJson<MaterializationDiff>(dir, ['history', 'penguins_synth', '--diff']);
      const prompt = d.json.changes.find((c) => c.field === 'prompt');
      expect(prompt).toBeDefined();
      expect(d.json.prompt_lines_changed).toBe(1);
      expect(d.json.prompt_diff).toContain('+# tuned for the spring release');
      // The seed went back to the definition's 42 (the previous run had --seed 43).
      expect(d.json.changes.find((c) => c.field === 'seed')).toMatchObject({ from: 43, to: 42 });

      const text = synth(dir, ['history', 'penguins_synth', '--diff']);
      expect(text.code).toBe(0);
      expect(text.stdout).toMatch(/prompt \(1 line\)/);
      expect(text.stdout).toContain('+# tuned for the spring release');
      expect(text.stdout).toMatch(/seed\s+43\s+42\s+-1/);
    } finally {
      writeProjectFile(dir, promptFile, before);
    }
  });

  it('history --diff with too few materializations is a usage error', () => {
    const r = synth(dir, ['history', 'penguins', '--diff']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('nothing to compare');
  });
});
