import { UsageError } from '../engine/index.js';

/** Longest queue URL accepted (a URL is a host, a port and a database number). */
const MAX_URL_LENGTH = 2048;

/** Where the queue's Redis is, as ioredis takes it. */
export interface RedisLocation {
  /** The URL without credentials, for messages. */
  display: string;
  /** The URL as given (credentials included), for connections only: never logged or stored. */
  url: string;
  host: string;
  port: number;
  db: number;
  username?: string;
  password?: string;
  tls: boolean;
}

/**
 * Parses `--queue redis://[user:password@]host[:port][/db]` (or `rediss://` for TLS). Anything
 * else is a usage error naming what is wrong.
 */
export function parseQueueUrl(text: string, where = '--queue'): RedisLocation {
  const bad = (why: string) =>
    new UsageError({
      what: `${where} "${text.length > 200 ? `${text.slice(0, 200)}...` : text}" is not a Redis URL.`,
      why,
      fix: `Give the Redis the workers share, e.g. ${where} redis://127.0.0.1:6379 (or rediss:// for TLS).`,
    });
  if (text.length > MAX_URL_LENGTH) throw bad(`It is ${text.length} characters long.`);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw bad('It cannot be parsed as a URL.');
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') throw bad(`Its scheme is "${url.protocol.replace(/:$/, '')}", not redis or rediss.`);
  if (!url.hostname) throw bad('It names no host.');
  const port = url.port ? Number(url.port) : 6379;
  const dbText = url.pathname.replace(/^\//, '');
  if (dbText && !/^\d{1,2}$/.test(dbText)) throw bad(`Its path "/${dbText}" is not a database number (0–15).`);
  const safe = new URL(url.href);
  safe.username = '';
  safe.password = '';
  return {
    display: safe.href.replace(/\/$/, ''),
    url: text,
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port,
    db: dbText ? Number(dbText) : 0,
    ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
    ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
    tls: url.protocol === 'rediss:',
  };
}
