/** Name of the BullMQ queue every coordinator and worker of a Redis use (keys `synth:assets:*`). */
export const QUEUE_NAME = 'assets';
/** Key prefix of the queue in Redis. */
export const QUEUE_PREFIX = 'synth';

/** BullMQ refuses `:` in custom job ids; asset names never contain `|`. */
export function assetJobId(runId: string, asset: string): string {
  return `${runId}|${asset}`;
}

export function shardJobId(runId: string, asset: string, shard: number): string {
  return `${runId}|${asset}|shard-${shard}`;
}
