import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { feedbackPatterns, patternCoverage, readFeedbackFile } from '../../src/feedback/index.js';
import { makeProject, removeProject, synthJson } from '../support/project.js';
import { type RunJson } from '../support/cli-json.js';

const RECORDS = [
  { id: 'r1', fields: { category: 'Electronics' }, column: 'price', error: 'too_low', value: 12, correct: 80 },
  { id: 'r2', fields: { category: 'Electronics' }, column: 'price', error: 'too_low', value: 20, correct: 95, origin: 'production' as const },
  { id: 'r3', fields: { category: 'Garden' }, column: 'category', error: 'unknown_category', value: 'Garden' },
];
const jsonl = (rows: unknown[]) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';

let cleanup: string[] = [];
afterEach(() => {
  cleanup.forEach((d) => rmSync(d, { recursive: true, force: true }));
  cleanup = [];
});
function tempFile(text: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'synth-feedback-'));
  cleanup.push(dir);
  const file = path.join(dir, 'errors.jsonl');
  writeFileSync(file, text);
  return file;
}

describe('feedback records', () => {
  it('groups records into patterns (error, column, context), most frequent first, with wrong and correct values', () => {
    const records = readFeedbackFile(tempFile(jsonl(RECORDS))).map((r) => r.record);
    const patterns = feedbackPatterns(records);
    expect(patterns).toHaveLength(2);
    expect(patterns[0]).toEqual({ error: 'too_low', column: 'price', when: { category: 'Electronics' }, count: 2, wrong: [12, 20], correct: [80, 95] });
  });

  it('a pattern is covered when the data has its case and does not repeat a reported wrong value', () => {
    const [pattern] = feedbackPatterns(RECORDS);
    expect(patternCoverage([{ category: 'Books', price: 12 }], pattern)).toMatchObject({ rows: 0, covered: false });
    expect(
      patternCoverage(
        [
          { category: 'Electronics', price: 12 },
          { category: 'Electronics', price: 90 },
        ],
        pattern,
      ),
    ).toMatchObject({ rows: 2, repeating: 1, covered: false });
    expect(patternCoverage([{ category: 'Electronics', price: 90 }], pattern)).toMatchObject({ rows: 1, repeating: 0, covered: true });
  });

  it('refuses an unknown field and a line that is not JSON, naming file:line and the closest field', () => {
    const file = tempFile(`${JSON.stringify(RECORDS[0])}\n\n{"error": "x", "corect": 3}\n`);
    expect(() => readFeedbackFile(file)).toThrow(
      expect.objectContaining({ line: 3, exitCode: 2, what: expect.stringContaining(`${file}:3: unknown field "corect"`), fix: expect.stringContaining('correct') }),
    );
    const bad = tempFile('{"error": "x"}\n{oops\n');
    expect(() => readFeedbackFile(bad)).toThrow(expect.objectContaining({ line: 2, what: expect.stringContaining(':2: not a JSON record') }));
    const missing = tempFile('{"column": "price"}\n');
    expect(() => readFeedbackFile(missing)).toThrow(expect.objectContaining({ line: 1, what: expect.stringContaining('"error"') }));
  });
});

describe('checks.feedback() through synth materialize', () => {
  it('reports how many known failure patterns the synthetic data covers', () => {
    const dir = makeProject({
      'data/feedback/errors.jsonl': jsonl(RECORDS),
      'prompts/shop_v1.yaml': 'prompt_id: shop_v1\ndomain: ecommerce\ntemplate: Generate {{rows}} products\nrules:\n  - if category == "Electronics", price > 50\n',
      'src/assets/index.ts': `import { z } from 'zod';
import { checks, dataset, feedback, validation } from 'synthgraph';
const Product = z.object({ name: z.string(), category: z.enum(['Electronics', 'Home', 'Books']), price: z.number().positive() });
export const products = dataset({ name: 'products', schema: Product, prompt: 'shop_v1', rows: 200 });
export const errors = feedback({ name: 'errors', file: 'data/feedback/errors.jsonl' });
export const report = validation({ name: 'report', deps: { products, errors }, target: 'products', checks: [checks.feedback({ feedback: 'errors' })] });
`,
    });
    try {
      const run = synthJson<RunJson>(dir, ['materialize']);
      expect(run.code).toBe(0);
      const report = synthJson<{ checks: { name: string; score: number; passed: boolean; summary: string }[]; metadata: Record<string, number> }>(dir, ['show', 'report']).json;
      // Electronics above 50 (the rule) covers the too_low pattern; there is no Garden category, so that one is open.
      expect(report.checks[0]).toMatchObject({ name: 'feedback', score: 0.5, passed: false });
      expect(report.checks[0].summary).toContain('1/2 known failure patterns covered');
      expect(report.checks[0].summary).toContain('unknown_category on category when category="Garden" (no such rows)');
      expect(report.metadata['feedback.covered']).toBe(1);
    } finally {
      removeProject(dir);
    }
  });
});
