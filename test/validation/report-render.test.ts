import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { CheckResult, ValidationReport } from '../../src/validation/index.js';
import type { Row } from '../../src/engine/rows.js';
import { checks, parseValidationReport, renderValidationReport } from '../../src/validation/index.js';
import { UsageError } from '../../src/engine/errors.js';

const penguins = JSON.parse(readFileSync(new URL('../../node_modules/vega-datasets/data/penguins.json', import.meta.url), 'utf8')) as Row[];

async function reportOf(rows: Row[], reference: Row[], list = [checks.fidelity(), checks.drift({ prompt: 'penguins_v1' })]): Promise<ValidationReport> {
  const ctx = { asset: 'fid', rows, reference, rules: [], inputs: {}, seed: 42, signal: new AbortController().signal };
  const results: CheckResult[] = [];
  for (const check of list) {
    const o = await check.run(ctx);
    const passed = o.passed ?? o.score >= check.threshold;
    results.push({ name: check.name, score: o.score, passed, threshold: check.threshold, blocking: check.blocking, summary: o.summary, details: o.details });
  }
  // Through JSON, as the store keeps it.
  return JSON.parse(JSON.stringify({ target: 'synth', rows: rows.length, passed: results.every((r) => r.passed), checks: results })) as ValidationReport;
}

describe('validation report rendering', () => {
  it('Markdown: the check table, then per-check sections with the metric tables and suggestions', async () => {
    const heavier = penguins.map((p) => ({ ...p, 'Body Mass (g)': typeof p['Body Mass (g)'] === 'number' ? (p['Body Mass (g)'] as number) + 700 : null }));
    const md = renderValidationReport(await reportOf(heavier, penguins), { asset: 'fid', state: 'fresh' }, 'md');
    expect(md).toMatch(/^# Validation report: fid\n/);
    expect(md).toContain('| check | result | score | threshold | blocking | summary |');
    expect(md).toMatch(/\| fidelity \| (pass|FAIL) \| 0\.\d{3} \| 0\.8 \| no \| quality /);
    expect(md).toMatch(/\| drift \| FAIL \| 0\.\d{3} \| 1 \| no \| 1\/7 columns drifted: Body Mass \(g\) PSI/);
    expect(md).toContain('| column | metric | score | KS D | KS p-value | PSI | PSI level |');
    expect(md).toMatch(/\| Body Mass \(g\) \| [\d.]+ \| major \|/);
    expect(md).toMatch(/- Body Mass \(g\): live mean [\d.]+ vs synthetic [\d.]+ — raise Body Mass \(g\) in prompts\/penguins_v1.yaml/);
  });

  it('HTML: a standalone page with the same tables, every value escaped', async () => {
    const custom = {
      name: 'custom',
      blocking: true,
      threshold: 1,
      config: {},
      run: () => ({ score: 0, summary: 'a <script>alert(1)</script> | pipe', details: { why: '<b>' } }),
    };
    const report = await reportOf(penguins, penguins, [checks.fidelity(), custom]);
    const html = renderValidationReport(report, { asset: 'fid' }, 'html');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('<th>check</th><th>result</th><th>score</th><th>threshold</th><th>blocking</th><th>summary</th>');
    expect(html).toContain('<td>fidelity</td><td class="good">pass</td><td>1.000</td>');
    expect(html).toContain('<td>custom</td><td class="bad">FAIL</td>');
    expect(html).not.toContain('<script>');
    expect(html).toContain('a &lt;script&gt;alert(1)&lt;/script&gt; | pipe');
    expect(html).toContain('fid.custom'); // "blocks downstream" names the check
    const md = renderValidationReport(report, { asset: 'fid' }, 'md');
    expect(md).toContain('a <script>alert(1)</script> \\| pipe'); // a pipe never breaks a Markdown table
    expect(md).toContain('```json\n{\n  "why": "<b>"\n}\n```'); // a custom check's details as they are
  });

  it('JSON: the stored report with where it came from; a value that is not a report is refused', async () => {
    const report = await reportOf(penguins, penguins, [checks.unique()]);
    const json = JSON.parse(renderValidationReport(report, { asset: 'u', data_hash: 'abc' }, 'json'));
    expect(json).toMatchObject({ asset: 'u', data_hash: 'abc', report: { passed: true, checks: [{ name: 'unique', score: 1 }] } });
    expect(() => parseValidationReport({ rows: 3 }, 'u')).toThrow(UsageError);
  });
});
