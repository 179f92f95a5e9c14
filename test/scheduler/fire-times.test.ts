import { afterEach, describe, expect, test, vi } from 'vitest';
import { getTasks } from 'node-cron';
import { nextFireTimes, previousFireTime, seedForFire } from '../../src/scheduler/index.js';

/** [cron, time zone, "now", the next fire times node-cron must give]. */
const CASES: [string, string, string, string[]][] = [
  ['0 3 * * 1', 'UTC', '2025-01-06T02:59:58Z', ['2025-01-06T03:00:00.000Z', '2025-01-13T03:00:00.000Z', '2025-01-20T03:00:00.000Z']],
  // 03:00 in Paris is 02:00 UTC in winter: the 6 January one has passed at 02:59:58 UTC.
  ['0 3 * * 1', 'Europe/Paris', '2025-01-06T02:59:58Z', ['2025-01-13T02:00:00.000Z', '2025-01-20T02:00:00.000Z', '2025-01-27T02:00:00.000Z']],
  // Weekdays 09:30 in New York across the start of DST (9 March 2025): UTC-5 then UTC-4.
  ['30 9 * * 1-5', 'America/New_York', '2025-03-07T12:00:00Z', ['2025-03-07T14:30:00.000Z', '2025-03-10T13:30:00.000Z', '2025-03-11T13:30:00.000Z']],
  // A half-hour zone: midnight in Kolkata is 18:30 UTC the day before.
  ['0 0 * * *', 'Asia/Kolkata', '2025-01-06T02:59:58Z', ['2025-01-06T18:30:00.000Z', '2025-01-07T18:30:00.000Z', '2025-01-08T18:30:00.000Z']],
  // Six fields: seconds first.
  ['*/15 * * * * *', 'UTC', '2025-01-06T02:59:58Z', ['2025-01-06T03:00:00.000Z', '2025-01-06T03:00:15.000Z', '2025-01-06T03:00:30.000Z']],
  ['0 12 L * *', 'UTC', '2025-02-10T00:00:00Z', ['2025-02-28T12:00:00.000Z', '2025-03-31T12:00:00.000Z', '2025-04-30T12:00:00.000Z']],
  // 01:30 happens twice in New York on 2 November 2025 (end of DST): it fires once, at the first.
  ['30 1 * * *', 'America/New_York', '2025-11-01T00:00:00Z', ['2025-11-01T05:30:00.000Z', '2025-11-02T05:30:00.000Z', '2025-11-03T06:30:00.000Z']],
  ['0 0 29 2 *', 'UTC', '2025-01-01T00:00:00Z', ['2028-02-29T00:00:00.000Z', '2032-02-29T00:00:00.000Z', '2036-02-29T00:00:00.000Z']],
  ['0 9 * * 1#2', 'Europe/Berlin', '2025-03-01T00:00:00Z', ['2025-03-10T08:00:00.000Z', '2025-04-14T07:00:00.000Z', '2025-05-12T07:00:00.000Z']],
];

afterEach(() => {
  vi.useRealTimers();
});

describe('fire times', () => {
  test.each(CASES)('%s in %s after %s', (cron, timezone, now, expected) => {
    vi.useFakeTimers({ now: new Date(now), toFake: ['Date'] });
    const next = nextFireTimes({ cron, timezone }, 3);
    expect(next.map((d) => d.toISOString())).toEqual(expected);
    // No task is left in node-cron's global registry.
    expect(getTasks().size).toBe(0);
  });

  test.each(CASES)('the previous fire time of %s in %s agrees with node-cron', (cron, timezone, _now, expected) => {
    const timing = { cron, timezone };
    const [first, second, third] = expected.map((d) => new Date(d));
    // Just before a fire time, the previous one is the fire time before it.
    expect(previousFireTime(timing, new Date(second.getTime() - 1))?.toISOString()).toBe(first.toISOString());
    expect(previousFireTime(timing, new Date(third.getTime() - 1))?.toISOString()).toBe(second.toISOString());
    // A fire time is its own latest fire time (the bound is inclusive)...
    expect(previousFireTime(timing, second)?.toISOString()).toBe(second.toISOString());
    // ...and none is found when the window after the last handled fire holds none.
    expect(previousFireTime(timing, new Date(second.getTime() - 1), first)).toBeNull();
    expect(previousFireTime(timing, third, first)?.toISOString()).toBe(third.toISOString());
    expect(getTasks().size).toBe(0);
  });

  test('the per-run seed is the fire time in Unix seconds', () => {
    expect(seedForFire(new Date('2025-01-06T03:00:00Z'))).toBe(1736132400);
    expect(seedForFire(new Date('2025-01-06T03:00:00.999Z'))).toBe(1736132400);
    expect(seedForFire(new Date('2025-01-13T03:00:00Z'))).not.toBe(seedForFire(new Date('2025-01-06T03:00:00Z')));
  });
});
