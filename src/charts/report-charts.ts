import type { CheckResult, ValidationReport } from '../validation/validation-asset.js';
import type { DriftCheckDetails } from '../validation/drift-check.js';
import type { FidelityCheckDetails } from '../validation/fidelity-check.js';
import type { UtilityCheckDetails } from '../validation/utility-check.js';
import { associationSpec } from './association-chart.js';
import { type Chart, chartId, fmt } from './chart-spec.js';
import { distributionSpec } from './distribution-chart.js';
import { psiSpec } from './psi-chart.js';
import { confusionSpec, utilityBarsSpec } from './utility-charts.js';

/**
 * Every chart of a validation report, in report order: per fidelity check the real-vs-synthetic
 * distribution of each column (score and PSI in the title) and the association heatmaps; per
 * drift check the PSI bars and the distributions of the drifted columns; per utility check the
 * per-class bars and the confusion matrices. Checks without charts (schema, rules...) add none.
 */
export function reportCharts(report: ValidationReport): Chart[] {
  const taken = new Set<string>();
  return report.checks.flatMap((c) => checkCharts(c, taken));
}

function checkCharts(c: CheckResult, taken: Set<string>): Chart[] {
  const kind = (c.details as { kind?: unknown }).kind;
  if (kind === 'fidelity') return fidelityCharts(c.name, c.details as unknown as FidelityCheckDetails, taken);
  if (kind === 'drift') return driftCharts(c.name, c.details as unknown as DriftCheckDetails, taken);
  if (kind === 'utility') return utilityCharts(c.name, c.details as unknown as UtilityCheckDetails, taken);
  return [];
}

function fidelityCharts(check: string, d: FidelityCheckDetails, taken: Set<string>): Chart[] {
  const shape = new Map(d.column_shapes.columns.map((s) => [s.column, s]));
  const out: Chart[] = d.psi.columns.map((p) => {
    const title = `${p.column}: score ${fmt(shape.get(p.column)?.score)}, PSI ${fmt(p.psi)}`;
    return { id: chartId(check, p.column, taken), check, title, spec: distributionSpec(p, ['real', 'synthetic'], title) };
  });
  const assoc = associationSpec(d.column_pair_trends.pairs);
  if (assoc) out.push({ id: chartId(check, 'associations', taken), check, title: 'Column associations: real, synthetic, difference', spec: assoc });
  return out;
}

function driftCharts(check: string, d: DriftCheckDetails, taken: Set<string>): Chart[] {
  const sides = (d.live === 'target' ? ['reference', 'live'] : ['live', 'target']) as [string, string];
  const out: Chart[] = [];
  const psi = psiSpec(d.columns, 'PSI per column (bands: moderate ≥ 0.1, major ≥ 0.25)');
  if (psi) out.push({ id: chartId(check, 'psi', taken), check, title: 'PSI per column', spec: psi });
  for (const c of d.columns.filter((x) => x.drifted)) {
    const title = `${c.column}: PSI ${fmt(c.psi)} (${c.level ?? 'KS'})`;
    out.push({ id: chartId(check, c.column, taken), check, title, spec: distributionSpec(c, sides, title) });
  }
  return out;
}

function utilityCharts(check: string, d: UtilityCheckDetails, taken: Set<string>): Chart[] {
  const out: Chart[] = [{ id: chartId(check, 'classes', taken), check, title: 'TSTR vs TRTR', spec: utilityBarsSpec(d) }];
  const confusion = confusionSpec(d);
  if (confusion) out.push({ id: chartId(check, 'confusion', taken), check, title: 'Confusion matrices', spec: confusion });
  return out;
}
