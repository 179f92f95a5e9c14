/**
 * Lineage costs, each over fresh processes (bench/lineage-probe.ts; min / median / max): what the
 * outbox listener adds to a materialization (one fsynced file per asset, written inside the
 * executor's event callback; the first materialize of a process, cold, with and without it), and
 * how fast a real MLflow server (from .venv, one for every run) takes the delivered events.
 */
import { fileURLToPath } from 'node:url';
import { startMlflowServer } from '../test/support/mlflow-server.js';
import { makeProject, removeProject } from '../test/support/project.js';
import { trivialGraphDefs } from './engine.bench.js';
import { RUNS, runProbe, spread } from './fresh-process.js';

export const title = 'Lineage: outbox overhead per materialization, delivery throughput to a real MLflow 3 server (fresh processes)';

const N = 200;
const PROBE = fileURLToPath(new URL('./lineage-probe.ts', import.meta.url));

interface Probe {
  without_ms: number;
  with_ms: number;
  events: number;
  deliver_ms: number;
  delivered: number;
  pending: number;
  empty_ms: number;
}

export default async function (): Promise<Record<string, string | number>[]> {
  const server = await startMlflowServer();
  const runs: Probe[] = [];
  try {
    for (let i = 0; i < RUNS; i++) {
      const plain = makeProject({ 'src/assets/index.ts': trivialGraphDefs(N) });
      const traced = makeProject({ 'src/assets/index.ts': trivialGraphDefs(N) });
      try {
        runs.push(await runProbe<Probe>(PROBE, [plain, traced], { MLFLOW_TRACKING_URI: server.uri }));
      } finally {
        removeProject(plain);
        removeProject(traced);
      }
    }
  } finally {
    await server.destroy();
  }
  const pick = (f: (r: Probe) => number, unit: string, digits = 2) => spread(runs.map(f), unit, digits);
  return [
    { measure: `materialize ${N} trivial assets without lineage (cold)`, 'min / median / max': pick((r) => r.without_ms, 'ms', 0) },
    { measure: `materialize ${N} trivial assets with the outbox (cold)`, 'min / median / max': pick((r) => r.with_ms, 'ms', 0) },
    { measure: 'outbox cost per asset', 'min / median / max': pick((r) => (r.with_ms - r.without_ms) / N, 'ms') },
    {
      measure: `deliver the events (runs + params + metrics + tags; ${runs.map((r) => r.delivered).join(', ')} events, ${runs.reduce((a, r) => a + r.pending, 0)} left pending)`,
      'min / median / max': pick((r) => r.deliver_ms / 1000, 's', 1),
    },
    { measure: 'delivery throughput', 'min / median / max': pick((r) => r.delivered / (r.deliver_ms / 1000), 'events/s', 1) },
    { measure: 'deliver with an empty outbox (no network)', 'min / median / max': pick((r) => r.empty_ms, 'ms') },
  ];
}
