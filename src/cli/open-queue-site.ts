import type { Project } from '../engine/index.js';

/**
 * The queue a run computes its assets on: `flag` (`--queue`), else `executor.queue` in
 * synth.config.json, connected (a bad URL or an unreachable Redis is a usage error); undefined when
 * neither is set, and the run computes in this process. BullMQ and ioredis load only then.
 */
export async function openQueueSite(project: Project, flag: string | undefined) {
  const { executorConfig, parseQueueUrl } = await import('../queue/queue-config.js');
  const config = executorConfig(project.root);
  const url = flag ?? config.queue;
  if (url === undefined) return undefined;
  const at = parseQueueUrl(url, flag !== undefined ? '--queue' : 'executor.queue in synth.config.json');
  const { QueueSite, definitionsFingerprint } = await import('../queue/index.js');
  return QueueSite.open(project, { at, fingerprint: definitionsFingerprint(project), maxShards: config.shards, unreachableMs: config.unreachableMs });
}
