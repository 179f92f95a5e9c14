import type { Materialization } from '../engine/index.js';

/** The few numbers worth a glance in a table: check scores, model metrics. */
export function keyMetrics(m: Materialization | undefined): string {
  if (!m) return '';
  if (m.checks?.length) {
    const passed = m.checks.filter((c) => c.passed).length;
    return (
      `checks ${passed}/${m.checks.length}` +
      m.checks
        .filter((c) => !c.passed)
        .map((c) => ` ✗${c.name}=${c.score.toFixed(2)}`)
        .join('')
    );
  }
  // A model with a real evaluation set: synthetic validation vs real evaluation, and the gap.
  const gap = ['macro_f1', 'accuracy', 'f1'].find((k) => typeof m.metadata[`gap.${k}`] === 'number');
  if (gap)
    return `${gap} synthetic=${(m.metadata[gap] as number).toFixed(3)} real=${(m.metadata[`real.${gap}`] as number).toFixed(3)} gap=${(m.metadata[`gap.${gap}`] as number).toFixed(3)}`;
  const picks = ['f1', 'macro_f1', 'accuracy', 'quality', 'cost_usd'];
  return picks
    .filter((k) => typeof m.metadata[k] === 'number')
    .slice(0, 2)
    .map((k) => `${k}=${(m.metadata[k] as number).toFixed(3)}`)
    .join(' ');
}
