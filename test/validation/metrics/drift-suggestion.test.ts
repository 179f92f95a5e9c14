import { describe, expect, it } from 'vitest';
import { driftSuggestion, driftSuggestions, psiReport } from '../../../src/validation/metrics/index.js';

// Mean of (i % 41) over i < 200 is 19.55, so the live mean is 72.1 and the synthetic mean 40.3.
const live = Array.from({ length: 200 }, (_, i) => ({ price: 52.55 + (i % 41), category: i % 10 < 3 ? 'Books' : 'Toys' }));
const synthetic = Array.from({ length: 200 }, (_, i) => ({ price: 20.75 + (i % 41), category: i % 10 < 1 ? 'Books' : 'Toys' }));

describe('drift suggestions', () => {
  const report = psiReport(live, synthetic);

  it('numeric: names both means and the direction of the fix', () => {
    const price = report.columns.find((c) => c.column === 'price')!;
    expect(driftSuggestion(price, { promptFile: 'prompts/x.yaml' })).toBe('price: live mean 72.1 vs synthetic 40.3 — raise price in prompts/x.yaml columns.price.mean or add a rule');
  });

  it('categorical: points at the category whose share differs most', () => {
    const cat = report.columns.find((c) => c.column === 'category')!;
    expect(driftSuggestion(cat, { promptFile: 'prompts/x.yaml' })).toBe(
      'category: live share of "Books" 30.0% vs synthetic 10.0% — raise the weight of "Books" in prompts/x.yaml columns.category or add a rule',
    );
  });

  it('the live side can be the current one; stable columns give nothing', () => {
    const swapped = psiReport(synthetic, live);
    expect(driftSuggestions(swapped, { liveSide: 'current' })[0]).toMatch(/^price: live mean 72.1 vs synthetic 40.3 — raise/);
    expect(driftSuggestions(psiReport(live, live))).toEqual([]);
  });
});
