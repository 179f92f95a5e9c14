import { type EngineEvent, materialize, planRun, type PlannedAsset, type Project, resolveSelection, UsageError } from '../../engine/index.js';
import { overrideGenerator } from '../../generators/registry.js';
import { intFlag, openProject } from '../common.js';
import { ProgressView } from '../progress-view.js';
import { EventStream } from '../event-stream.js';
import { describeReasons } from '../../inspect/index.js';
import { refreshStatusSnapshot } from '../../inspect/status-description.js';
import { type Output, table } from '../output.js';
import type { DeliveryReport } from '../../lineage/index.js';
import { lineageListener } from '../../lineage/lineage-listener.js';
import { errorJson, renderError } from '../render-error.js';
import { resolveLineageSettings } from '../../lineage/lineage-settings.js';
import { openQueueSite } from '../open-queue-site.js';
import type { MaterializeFlags } from './materialize.js';

/** `synth materialize` when something may run: loads the project, runs the executor (or prints the plan), reports. */
export async function runMaterialize(selection: string[], flags: MaterializeFlags, setExit: (code: number) => void): Promise<void> {
  // The executor (or the plan) reads the catalog itself: reading it here would be a second full read.
  const { project, output } = await openProject(flags);
  const c = output.color;
  const assets = resolveSelection(project, selection);
  const seed = flags.seed === undefined ? undefined : Number(flags.seed);
  if (seed !== undefined && !Number.isInteger(seed)) throw new UsageError({ what: `--seed must be an integer, got "${flags.seed}".`, fix: 'Example: --seed 43' });
  if (flags.generator) overrideGenerator({ provider: 'local' }, flags.generator);
  const maxCost = flags.maxCost === undefined ? undefined : Number(flags.maxCost);
  if (maxCost !== undefined && !(maxCost >= 0)) throw new UsageError({ what: `--max-cost must be a number of USD ≥ 0, got "${flags.maxCost}".`, fix: 'Example: --max-cost 2.50' });
  const overrides = seed !== undefined || flags.generator ? { seed, generator: flags.generator } : undefined;

  if (flags.dryRun) {
    printDryRun(project, await planRun(project, assets, { force: flags.force, overrides }), output);
    return;
  }

  // Checked before anything runs: a bad URL or an unreachable Redis is a usage error (exit 2).
  const site = await openQueueSite(project, flags.queue);
  const stop = stopOnSignals(output);
  // A bad synth.config.json is a usage error before anything runs; lineage itself never fails the run.
  const lineage = resolveLineageSettings(project);
  const recordLineage = lineageListener(project, { onError: (err) => output.err(c.yellow(`lineage: event not recorded: ${(err as Error).message}`)) });
  // --events: stdout carries only the JSON Lines stream; the human view is off.
  const events = flags.events ? new EventStream((line) => output.out(line)) : undefined;
  const view = new ProgressView(events ? { ...output, json: true } : output, !output.json && !events);
  try {
    const result = await materialize(project, {
      assets,
      force: flags.force,
      concurrency: intFlag(flags.concurrency, '--concurrency', 1),
      overrides,
      signal: stop.signal,
      onEvent: (e: EngineEvent) => {
        if (events) events.handle(e);
        else view.handle(e);
        recordLineage(e);
      },
      generatorOptions: {
        ...(flags.llmCache === false ? { llmCache: false } : {}),
        ...(maxCost !== undefined ? { maxCost } : {}),
      },
      ...(site ? { computeSite: site } : {}),
    });
    view.close();
    // The Redis failure once, as an error, besides the failed assets it caused.
    if (site?.error && !output.json) renderError(site.error, output);
    // The MLflow client (undici) is loaded only when lineage is configured.
    const delivery = lineage
      ? await import('../../lineage/index.js').then(({ deliverLineage }) => deliverLineage(project, { timeoutMs: lineage.deliveryTimeoutMs })).catch(() => undefined)
      : undefined;
    const document = { ...result, ...(delivery ? { lineage: lineageSummary(delivery) } : {}), ...(site?.error ? { queue_error: errorJson(site.error).error } : {}) };
    if (events) events.result(document);
    else if (output.json) output.out(JSON.stringify(document));
    else view.summary(result);
    if (delivery && !output.json && !events) warnUndelivered(delivery, output);
    // Bad input (a malformed source file...) is exit 2, like every other usage error.
    setExit(result.ok ? 0 : Math.max(1, ...result.assets.map((a) => a.exit_code ?? 0)));
    // The next `synth status` then answers from its snapshot (README, "The status snapshot").
    if (result.assets.some((a) => a.outcome !== 'fresh')) await refreshStatusSnapshot(project);
  } finally {
    view.close();
    stop.dispose();
    await site?.close();
  }
}

/** `synth materialize --dry-run`: the plan, what it would spend, and nothing written. */
function printDryRun(project: Project, plan: readonly PlannedAsset[], output: Output): void {
  const c = output.color;
  if (output.json) {
    output.out(JSON.stringify({ dry_run: true, assets: plan }));
    return;
  }
  const colour = { run: c.yellow, cached: c.cyan, fresh: c.green, maybe: c.magenta, blocked: c.red } as const;
  output.out(
    table(
      ['asset', 'kind', 'action', 'why', 'estimated spend'],
      plan.map((p) => [
        p.asset,
        p.kind,
        colour[p.action](p.action),
        p.action === 'cached' ? `reuse ${p.reuse}` : describeReasons(project, p.reasons).join('; '),
        p.estimate && p.estimate.requests
          ? `${p.estimate.requests} requests, ~${(p.estimate.prompt_tokens ?? 0) + (p.estimate.completion_tokens ?? 0)} tokens, ~$${(p.estimate.cost_usd ?? 0).toFixed(4)}`
          : '',
      ]),
      c,
    ),
  );
  const n = (a: string) => plan.filter((p) => p.action === a).length;
  const cost = plan.reduce((sum, p) => sum + (p.estimate?.cost_usd ?? 0), 0);
  if (cost > 0) output.out(c.dim(`\nestimated LLM spend: ~$${cost.toFixed(4)} (cached responses excluded)`));
  output.out(
    c.dim(
      `\ndry run: ${n('run')} to run, ${n('maybe')} if upstream output changes, ${n('cached')} reused from the store, ${n('fresh')} fresh, ${n('blocked')} blocked. Nothing was written.`,
    ),
  );
}

/** The first SIGINT/SIGTERM stops the run after the running assets are recorded; a second one quits at once. */
function stopOnSignals(output: Output): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  let interrupts = 0;
  const onSignal = (sig: NodeJS.Signals) => {
    interrupts++;
    if (interrupts > 1) process.exit(130);
    output.err(output.color.yellow(`\n${sig}: stopping after the running assets are recorded (press Ctrl-C again to quit at once)`));
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

/** Lineage events MLflow did not take during the run: they wait in the outbox. */
function warnUndelivered(delivery: DeliveryReport, output: Output): void {
  for (const w of delivery.warnings) output.err(output.color.yellow(`lineage: ${w}`));
  if (!delivery.pending && !delivery.rejected.length) return;
  output.err(
    output.color.yellow(
      `lineage: ${delivery.delivered.length} delivered to MLflow, ${delivery.pending} pending${delivery.rejected.length ? `, ${delivery.rejected.length} rejected` : ''}` +
        (delivery.stopped ? ` (${delivery.stopped})` : '') +
        '; they are delivered by the next run or `synth lineage push`',
    ),
  );
}

/** The `lineage` field of `synth materialize --json` (present when lineage is configured). */
function lineageSummary(r: DeliveryReport) {
  return { tracking_uri: r.trackingUri, experiment_id: r.experimentId, delivered: r.delivered.length, pending: r.pending, failed: r.failed, stopped: r.stopped, warnings: r.warnings };
}
