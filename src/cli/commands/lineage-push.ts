import type { Command } from 'commander';
import { UsageError, projectPaths } from '../../engine/index.js';
import { type DeliveryReport, deliverLineage } from '../../lineage/index.js';
import { type CommonOptions, intFlag, withCommonOptions } from '../common.js';
import { makeOutput, type Output } from '../output.js';

/** Flags of `synth lineage-push` (also accepted by `synth lineage push`). */
export interface LineagePushFlags extends CommonOptions {
  /** Requeue events MLflow rejected for good (`.synth/outbox/failed/`) before delivering. */
  retryFailed?: boolean;
  /** Time budget in ms (default 120000: a push is run on purpose, so it may take a while). */
  timeout?: string;
}

/** Default time budget of an explicit push, in ms. */
const PUSH_TIMEOUT_MS = 120_000;

/** `synth lineage-push`: delivers pending lineage events to MLflow and reports what is left. */
export function registerLineagePush(program: Command, setExit: (code: number) => void): void {
  withCommonOptions(
    program
      .command('lineage-push')
      .description('deliver pending lineage events (.synth/outbox) to MLflow and report what is left (also: synth lineage push)')
      .option('--retry-failed', 'requeue events MLflow rejected before (.synth/outbox/failed) and try them again')
      .option('--timeout <ms>', `time budget in ms (default ${PUSH_TIMEOUT_MS})`),
  ).action((flags: LineagePushFlags) => lineagePushAction(flags, setExit));
}

/**
 * The action of `synth lineage-push`, for `synth lineage push` too: in lineage.ts's action,
 * `if (name === 'push') return lineagePushAction(flags, setExit);`.
 * Reads only the project root (not the definitions), so it works while definitions are broken.
 * Exit code: 0 when the outbox is empty afterwards, 1 when events are left or were rejected.
 */
export async function lineagePushAction(flags: LineagePushFlags, setExit: (code: number) => void): Promise<void> {
  const output = makeOutput(flags);
  const project = projectPaths({ root: flags.root });
  const timeoutMs = intFlag(flags.timeout, '--timeout', 100) ?? PUSH_TIMEOUT_MS;
  const report = await deliverLineage(project, { timeoutMs, lockWaitMs: timeoutMs, retryFailed: flags.retryFailed });
  if (!report.enabled) {
    throw new UsageError({
      what: `Lineage is off, so nothing can be pushed${report.pending ? ` (${report.pending} events are pending)` : ''}.`,
      why: 'No MLflow tracking URI is configured (or synth.config.json sets mlflow.enabled: false).',
      fix: 'Set MLFLOW_TRACKING_URI=http://host:5000, or add {"mlflow": {"trackingUri": "http://host:5000"}} to synth.config.json.',
    });
  }
  output.out(output.json ? JSON.stringify(pushJson(report)) : renderPush(report, output));
  setExit(report.pending === 0 && report.rejected.length === 0 ? 0 : 1);
}

/** The `--json` shape (snake_case, like the other commands). */
function pushJson(r: DeliveryReport) {
  return {
    tracking_uri: r.trackingUri,
    experiment: r.experiment,
    experiment_id: r.experimentId,
    delivered: r.delivered.map((d) => ({
      asset: d.asset,
      materialization_id: d.materializationId,
      run_id: d.runId,
      created: d.created,
      model_id: d.modelId,
      param_conflicts: d.paramConflicts,
      prompt: d.prompt,
    })),
    rejected: r.rejected.map((x) => ({ entry: x.entry, asset: x.asset ?? null, materialization_id: x.materializationId ?? null, error: x.error })),
    pending: r.pending,
    failed: r.failed,
    stopped: r.stopped,
    retry_later: r.retryLater,
    warnings: r.warnings,
  };
}

function renderPush(r: DeliveryReport, output: Output): string {
  const c = output.color;
  const lines = [`${c.bold('lineage')} → ${r.trackingUri} ${c.dim(`(experiment "${r.experiment}"${r.experimentId ? `, id ${r.experimentId}` : ''})`)}`];
  for (const d of r.delivered) {
    const note = [
      d.created ? '' : 'existing run',
      d.prompt ? `prompt ${d.prompt.name} v${d.prompt.version}` : '',
      d.modelId ? `model ${d.modelId}` : '',
      d.paramConflicts.length ? `kept earlier params: ${d.paramConflicts.join(', ')}` : '',
    ]
      .filter(Boolean)
      .join('; ');
    lines.push(`  ${c.green('✓')} ${d.asset} ${c.dim(d.materializationId)} → run ${d.runId}${note ? c.dim(` (${note})`) : ''}`);
  }
  for (const x of r.rejected) lines.push(`  ${c.red('✗')} ${x.asset ?? x.entry}: ${x.error}`);
  for (const w of r.warnings) lines.push(c.yellow(`  warning: ${w}`));
  lines.push(`${r.delivered.length} delivered, ${r.pending} pending, ${r.failed} rejected (in .synth/outbox/failed)`);
  if (r.stopped) lines.push(c.yellow(`stopped: ${r.stopped}${r.retryLater ? ' (run `synth lineage push` again later)' : ''}`));
  if (r.failed) lines.push(c.dim('requeue rejected events with `synth lineage push --retry-failed` once the cause is fixed'));
  return lines.join('\n');
}
