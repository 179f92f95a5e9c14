/**
 * Run by charts.bench.ts in fresh processes: builds the charts of a stored validation report
 * (JSON file given as argument) and renders every one to SVG, first pass (cold: loads vega and
 * vega-lite) then again (warm). Prints `{ charts, cold_ms, warm_ms }`.
 */
import { readFileSync } from 'node:fs';
import { renderSvg, reportCharts } from '../src/charts/index.js';
import { parseValidationReport } from '../src/validation/index.js';

const report = parseValidationReport((JSON.parse(readFileSync(process.argv[2], 'utf8')) as { report: unknown }).report, 'bench');
const pass = async (): Promise<number> => {
  const t = process.hrtime.bigint();
  for (const c of reportCharts(report)) await renderSvg(c.spec);
  return Number(process.hrtime.bigint() - t) / 1e6;
};
const cold = await pass();
const warm = await pass();
process.stdout.write(JSON.stringify({ charts: reportCharts(report).length, cold_ms: cold, warm_ms: warm }));
