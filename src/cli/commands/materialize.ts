import type { Command } from 'commander';
// Only what a run with nothing to do needs loads up front (see runKnownFresh): the engine, the
// definitions and the built-in kinds load with ./materialize-run.js when something may run.
import { projectPaths } from '../../engine/project-paths.js';
import { recordFreshRun } from '../../engine/run-record.js';
import type { EngineEvent } from '../../engine/events.js';
import { freshOutcomes, reuseStatusSnapshot, rowsForSelection, statusCatalogStamp } from '../../inspect/status-snapshot.js';
import { type CommonOptions, withCommonOptions } from '../common-options.js';
import { EventStream } from '../event-stream.js';
import { makeOutput } from '../output.js';
import { ProgressView } from '../progress-view.js';

export interface MaterializeFlags extends CommonOptions {
  force?: boolean;
  concurrency?: string;
  seed?: string;
  generator?: string;
  dryRun?: boolean;
  llmCache?: boolean;
  maxCost?: string;
  events?: boolean;
  queue?: string;
}

export function registerMaterialize(program: Command, setExit: (code: number) => void): void {
  withCommonOptions(
    program
      .command('materialize')
      .description('materialize the selection (default: every stale or missing asset) in dependency order')
      .argument('[selection...]', 'assets: NAME, +NAME, NAME+, N+NAME, NAME+N, *, kind:KIND, tag:K=V, group:G')
      .option('--force', 're-run selected assets even when fresh')
      .option('--concurrency <n>', 'assets run at the same time', '4')
      .option('--seed <n>', 'override the seed of the selected datasets')
      .option('--generator <provider[:model]>', 'override the generator of the selected datasets (e.g. openai:gpt-4o-mini-2024-07-18, local)')
      .option('--dry-run', 'print the plan (what would run, why, what would be reused) and write nothing')
      .option('--no-llm-cache', 'send LLM requests again even when a cached response exists')
      .option('--max-cost <usd>', 'stop sending LLM requests once the spend would pass this budget (USD)')
      .option('--events', 'stream the run as JSON Lines on stdout (progress, asset results), then one "result" line holding the --json document')
      .option('--queue <redis-url>', 'compute assets on `synth worker` processes fed through this Redis (default: executor.queue in synth.config.json, else in this process)'),
  ).action(async (selection: string[], flags: MaterializeFlags) => {
    if (await runKnownFresh(selection, flags, setExit)) return;
    // Everything else loads the engine and the definitions.
    const { runMaterialize } = await import('./materialize-run.js');
    await runMaterialize(selection, flags, setExit);
  });
}

/**
 * A run with nothing to do, answered without loading the definitions: when the status snapshot
 * still holds (README, "The status snapshot") and says every selected asset is fresh, the run is
 * recorded and reported as `materialize` would record and report it. Only for a plain run: no
 * flag that changes what runs or how (`--force`, `--seed`, `--generator`, `--dry-run`, `--queue`),
 * no queue in synth.config.json, no MLflow lineage (a run delivers pending events). False when it
 * does not apply: the run then goes the usual way.
 */
async function runKnownFresh(selection: string[], flags: MaterializeFlags, setExit: (code: number) => void): Promise<boolean> {
  if (flags.force || flags.seed !== undefined || flags.generator || flags.dryRun || flags.queue) return false;
  const paths = projectPaths({ root: flags.root, defs: flags.defs });
  const snapshot = reuseStatusSnapshot(paths);
  const rows = snapshot && rowsForSelection(snapshot.rows, selection);
  const fresh = rows && freshOutcomes(rows);
  if (!snapshot || !fresh) return false;
  const [{ executorConfig }, { resolveLineageSettings }] = await Promise.all([import('../../queue/executor-config.js'), import('../../lineage/lineage-settings.js')]);
  if (executorConfig(paths.root).queue !== undefined || resolveLineageSettings(paths)) return false;
  const output = makeOutput(flags);
  const events = flags.events ? new EventStream((line) => output.out(line)) : undefined;
  const view = new ProgressView(events ? { ...output, json: true } : output, !output.json && !events);
  try {
    const result = await recordFreshRun(paths.stateDir, fresh, {
      onEvent: (e: EngineEvent) => (events ? events.handle(e) : view.handle(e)),
      // Under the run lock: a run that recorded something since the snapshot was checked makes it stale.
      stillFresh: () => statusCatalogStamp(paths) === snapshot.catalog,
    });
    if (!result) return false;
    view.close();
    if (events) events.result(result);
    else if (output.json) output.out(JSON.stringify(result));
    else view.summary(result);
    setExit(0);
    return true;
  } finally {
    view.close();
  }
}
