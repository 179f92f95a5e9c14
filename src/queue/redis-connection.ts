import { Redis, type RedisOptions } from 'ioredis';
import { UsageError } from '../engine/index.js';
import type { RedisLocation } from './queue-url.js';

/** ioredis options for a location; BullMQ's blocking connections need `maxRetriesPerRequest: null`. */
export function redisOptions(at: RedisLocation, extra: RedisOptions = {}): RedisOptions {
  return {
    host: at.host,
    port: at.port,
    db: at.db,
    ...(at.username ? { username: at.username } : {}),
    ...(at.password ? { password: at.password } : {}),
    ...(at.tls ? { tls: {} } : {}),
    maxRetriesPerRequest: null,
    ...extra,
  };
}

/**
 * Checks once that Redis answers before a coordinator or a worker starts, so that a wrong URL
 * is a usage error at once rather than an endless reconnect loop. Also reads its version and
 * eviction policy: BullMQ loses jobs when Redis may evict keys.
 */
export async function checkRedis(at: RedisLocation, timeoutMs = 3000): Promise<{ version: string; warnings: string[] }> {
  const client = new Redis(redisOptions(at, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: timeoutMs, enableOfflineQueue: false }));
  client.on('error', () => {}); // reported by connect() below
  try {
    await client.connect();
    const info = await client.info('server');
    const version = /redis_version:(\S+)/.exec(info)?.[1] ?? 'unknown';
    const warnings: string[] = [];
    const policy = ((await client.config('GET', 'maxmemory-policy').catch(() => [])) as string[])[1];
    if (policy && policy !== 'noeviction') warnings.push(`Redis at ${at.display} has maxmemory-policy ${policy}: it may evict queued jobs. Set maxmemory-policy noeviction.`);
    return { version, warnings };
  } catch (err) {
    throw new UsageError({
      what: `Cannot reach the queue's Redis at ${at.display}.`,
      why: (err as Error).message,
      fix: 'Start Redis there (e.g. `redis-server --port 6379`), or give the right --queue URL (or executor.queue in synth.config.json).',
      cause: err,
    });
  } finally {
    client.disconnect();
  }
}
