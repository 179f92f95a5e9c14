// Run by charts.bench.ts in fresh plain Node processes (no TypeScript loader, as `synth` runs):
// builds the charts of a stored validation report (the JSON `synth report --format json` prints,
// file given as argument) with the built chart room (dist/charts/index.js, vega and vega-lite
// bundled as `synth report` loads them) and renders every one to SVG, first pass (cold: loads
// vega and vega-lite) then again (warm).
// Prints `{ charts, cold_ms, warm_ms, cold_cpu_ms, warm_cpu_ms }`.
import { readFileSync } from 'node:fs';

const { renderSvgs, reportCharts } = await import(new URL('../dist/charts/index.js', import.meta.url).href);
const report = JSON.parse(readFileSync(process.argv[2], 'utf8')).report;
/** Wall time and this process's CPU time (user + system) of one pass: on a shared machine the CPU time is the steadier figure. */
const pass = async () => {
  const t = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  const svgs = await renderSvgs(reportCharts(report).map((c) => c.spec));
  if (!svgs.every((s) => s.startsWith('<svg'))) throw new Error('a chart rendered no SVG');
  const used = process.cpuUsage(cpu);
  return [Number(process.hrtime.bigint() - t) / 1e6, (used.user + used.system) / 1000];
};
const [cold, coldCpu] = await pass();
const [warm, warmCpu] = await pass();
process.stdout.write(JSON.stringify({ charts: reportCharts(report).length, cold_ms: cold, warm_ms: warm, cold_cpu_ms: coldCpu, warm_cpu_ms: warmCpu }));
