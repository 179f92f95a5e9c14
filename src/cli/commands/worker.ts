import type { Command } from 'commander';
import { type CommonOptions, intFlag, openProject, withCommonOptions } from '../common.js';
import type { Output } from '../output.js';

interface WorkerFlags extends CommonOptions {
  queue: string;
  concurrency?: string;
  stallMs?: string;
}

/**
 * `synth worker --queue URL`: computes queued assets until SIGTERM/SIGINT, then finishes the jobs
 * it holds and exits 0 (a second signal exits at once; its jobs go to another worker once stalled).
 */
export function registerWorker(program: Command): void {
  withCommonOptions(
    program
      .command('worker')
      .description('compute assets queued by `synth materialize --queue` (BullMQ on Redis) until stopped')
      .requiredOption('--queue <redis-url>', 'the Redis the coordinator uses, e.g. redis://10.0.0.5:6379')
      .option('--concurrency <n>', 'jobs computed at once by this process', '1')
      .option('--stall-ms <ms>', "job lock duration and stalled-job check interval: a dead worker's job moves on within about twice this", '30000'),
  ).action(async (flags: WorkerFlags) => {
    const { parseQueueUrl } = await import('../../queue/queue-config.js');
    const at = parseQueueUrl(flags.queue);
    const concurrency = intFlag(flags.concurrency, '--concurrency', 1);
    const stallMs = intFlag(flags.stallMs, '--stall-ms', 100);
    const { project, output } = await openProject(flags);
    const { startAssetWorker } = await import('../../queue/index.js');
    const worker = await startAssetWorker(project, { at, concurrency, stallMs, onEvent: (e) => report(e, output) });
    await new Promise<void>((resolve) => {
      let stopping = false;
      const onSignal = (sig: NodeJS.Signals) => {
        if (stopping) process.exit(130);
        stopping = true;
        if (!output.json) output.err(output.color.yellow(`${sig}: finishing the jobs in hand, then stopping (again to quit at once)`));
        void worker.close().then(resolve, resolve);
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
    });
  });
}

/** One line per event: JSON lines on stdout with --json, else text on stderr. */
function report(e: import('../../queue/index.js').WorkerEvent, output: Output): void {
  if (output.json) {
    output.out(JSON.stringify(e));
    return;
  }
  const c = output.color;
  const what = 'asset' in e ? `${e.asset}${e.shard !== null ? ` (shard ${e.shard})` : ''}` : '';
  switch (e.event) {
    case 'ready':
      return output.err(`worker ${e.worker}: waiting for jobs on ${e.redis} (${e.queue}), definitions ${e.fingerprint.slice(0, 12)}`);
    case 'job-started':
      return output.err(`${c.dim(e.worker)} ${what}: started${e.attempt > 1 ? ` (attempt ${e.attempt})` : ''}`);
    case 'job-finished':
      return output.err(`${c.dim(e.worker)} ${what}: ${c.green('done')} in ${e.duration_ms} ms`);
    case 'job-failed':
      return output.err(`${c.dim(e.worker)} ${what}: ${c.red('failed')}${e.will_retry ? ' (will retry)' : ''}: ${e.error}`);
    case 'warning':
      return output.err(c.yellow(`worker ${e.worker}: ${e.message}`));
    case 'closed':
      return output.err(`worker ${e.worker}: stopped`);
  }
}
