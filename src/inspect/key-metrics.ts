import type { Materialization } from '../engine/index.js';

/** The few numbers worth a glance in a table: check scores, model metrics. */
export function keyMetrics(m: Materialization | undefined): string {
  if (!m) return '';
  if (m.checks?.length) {
    const passed = m.checks.filter((c) => c.passed).length;
    return `checks ${passed}/${m.checks.length}` + m.checks.filter((c) => !c.passed).map((c) => ` ✗${c.name}=${c.score.toFixed(2)}`).join('');
  }
  const picks = ['f1', 'macro_f1', 'accuracy', 'quality', 'cost_usd'];
  return picks
    .filter((k) => typeof m.metadata[k] === 'number')
    .slice(0, 2)
    .map((k) => `${k}=${(m.metadata[k] as number).toFixed(3)}`)
    .join(' ');
}
