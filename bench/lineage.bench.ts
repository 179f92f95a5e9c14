/**
 * Lineage costs: what the outbox listener adds to a materialization (one fsynced file per asset,
 * written inside the executor's event callback), and how fast a real MLflow server (from .venv)
 * takes delivered events.
 */
// The engine knows no asset kind: the built-in ones register here, as in the CLI.
import '../src/builtin-plugins.js';
import { materialize } from '../src/engine/executor.js';
import { loadProject } from '../src/engine/project.js';
import { deliverLineage, lineageListener, pendingLineageEvents } from '../src/lineage/index.js';
import { startMlflowServer } from '../test/support/mlflow-server.js';
import { makeProject, removeProject } from '../test/support/project.js';
import { trivialGraphDefs } from './engine.bench.js';

export const title = 'Lineage: outbox overhead per materialization, delivery throughput to a real MLflow 3 server';

const N = 200;

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t = process.hrtime.bigint();
  const value = await fn();
  return { ms: Number(process.hrtime.bigint() - t) / 1e6, value };
}

export default async function (): Promise<Record<string, string | number>[]> {
  const rows: Record<string, string | number>[] = [];
  const server = await startMlflowServer();
  const plain = makeProject({ 'src/assets/index.ts': trivialGraphDefs(N) });
  const traced = makeProject({ 'src/assets/index.ts': trivialGraphDefs(N) });
  try {
    const env = { ...process.env, MLFLOW_TRACKING_URI: server.uri };
    const p1 = await loadProject({ root: plain });
    const without = await timed(() => materialize(p1, { concurrency: 4 }));
    const p2 = await loadProject({ root: traced });
    const listener = lineageListener(p2, { env });
    const withOutbox = await timed(() => materialize(p2, { concurrency: 4, onEvent: listener }));
    rows.push({
      case: `materialize ${N} trivial assets`,
      'without lineage (ms)': Math.round(without.ms),
      'with outbox (ms)': Math.round(withOutbox.ms),
      'outbox cost per asset (ms)': +((withOutbox.ms - without.ms) / N).toFixed(2),
      events: pendingLineageEvents(p2),
    });
    const delivery = await timed(() => deliverLineage(p2, { timeoutMs: 600_000, env }));
    const n = delivery.value.delivered.length;
    rows.push({
      case: `deliver ${n} events (runs + params + metrics + tags)`,
      'total (s)': +(delivery.ms / 1000).toFixed(1),
      'per event (ms)': Math.round(delivery.ms / Math.max(1, n)),
      'events/s': +(n / (delivery.ms / 1000)).toFixed(1),
      'left pending': delivery.value.pending,
    });
    const again = await timed(() => deliverLineage(p2, { timeoutMs: 60_000, env }));
    rows.push({ case: 'deliver with an empty outbox (no network)', 'total (ms)': +again.ms.toFixed(2) });
  } finally {
    removeProject(plain);
    removeProject(traced);
    await server.destroy();
  }
  return rows;
}
