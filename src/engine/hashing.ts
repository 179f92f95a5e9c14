import { hash } from 'node:crypto';

/**
 * Canonical JSON: object keys sorted, no whitespace, `undefined` dropped.
 * Hashing this (not a concatenation of fields) means no two different inputs
 * can collide by shifting text between fields.
 */
export function canonicalJson(value: unknown): string {
  return write(value) ?? 'null';
}

// A direct serializer (no sorted copy of the value): cache keys of every asset are computed on
// every command, so this is on the hot path of `synth status`.
function write(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (value instanceof Date) return JSON.stringify(value);
  if (Array.isArray(value)) return '[' + value.map((v) => write(v) ?? 'null').join(',') + ']';
  const keys = Object.keys(value).sort();
  let out = '';
  for (const key of keys) {
    const v = write((value as Record<string, unknown>)[key]);
    if (v === undefined) continue;
    out += (out ? ',' : '') + JSON.stringify(key) + ':' + v;
  }
  return '{' + out + '}';
}

/** sha256 hex of bytes or a string (UTF-8). */
export function sha256(data: string | Uint8Array): string {
  // One-shot: a third of the cost of createHash().update().digest() for the short texts of cache keys.
  return hash('sha256', data, 'hex');
}

/** sha256 hex of the canonical JSON of a value. */
export function hashJson(value: unknown): string {
  return sha256(canonicalJson(value));
}

/** First 12 hex characters, for display. */
export function shortHash(hash: string | null | undefined): string {
  return hash ? hash.slice(0, 12) : '-';
}
