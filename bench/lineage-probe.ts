/**
 * Run by lineage.bench.ts in fresh processes: materializes the trivial assets of PLAIN without
 * lineage and of TRACED with the outbox listener (both the first run of their project), then
 * delivers TRACED's outbox to the MLflow server at MLFLOW_TRACKING_URI, then delivers again with
 * an empty outbox. Prints `{ without_ms, with_ms, events, deliver_ms, delivered, pending, empty_ms }`.
 */
// The engine knows no asset kind: the built-in ones register here, as in the CLI.
import '../src/builtin-plugins.js';
import { materialize } from '../src/engine/executor.js';
import { loadProject } from '../src/engine/project.js';
import { deliverLineage, lineageListener, pendingLineageEvents } from '../src/lineage/index.js';

const [plain, traced] = process.argv.slice(2);
if (!plain || !traced) throw new Error('usage: lineage-probe.ts PLAIN_DIR TRACED_DIR');

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t = process.hrtime.bigint();
  const value = await fn();
  return { ms: Number(process.hrtime.bigint() - t) / 1e6, value };
}

const env = process.env;
const p1 = await loadProject({ root: plain });
const without = await timed(() => materialize(p1, { concurrency: 4 }));
const p2 = await loadProject({ root: traced });
const listener = lineageListener(p2, { env });
const withOutbox = await timed(() => materialize(p2, { concurrency: 4, onEvent: listener }));
const events = pendingLineageEvents(p2);
const delivery = await timed(() => deliverLineage(p2, { timeoutMs: 600_000, env }));
const empty = await timed(() => deliverLineage(p2, { timeoutMs: 60_000, env }));
process.stdout.write(
  JSON.stringify({
    without_ms: without.ms,
    with_ms: withOutbox.ms,
    events,
    deliver_ms: delivery.ms,
    delivered: delivery.value.delivered.length,
    pending: delivery.value.pending,
    empty_ms: empty.ms,
  }),
);
