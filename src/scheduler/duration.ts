import { UsageError } from '../engine/index.js';

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * Parses a duration flag such as `--grace 30s`: a number with `ms`, `s`, `m` or `h`
 * (a bare number is seconds). Returns milliseconds; throws a UsageError naming the flag.
 */
export function parseDuration(text: string, flag: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/.exec(text);
  if (!m)
    throw new UsageError({
      what: `${flag} must be a duration, got "${text}".`,
      why: 'A duration is a number with ms, s, m or h (a bare number is seconds).',
      fix: `Example: ${flag} 30s`,
    });
  return Math.round(Number(m[1]) * UNITS[m[2] ?? 's']);
}
