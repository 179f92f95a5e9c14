import childProcess from 'node:child_process';
import crypto from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { SharedPatch, wrapMethods } from './load-recording.js';

/**
 * Whether a piece of code read something that changes by itself while it ran: the clock or a
 * random source (`Date.now()`, `new Date()`, `performance.now()`, `process.hrtime()`,
 * `process.uptime()`, `Math.random()`, `crypto.randomUUID()` and kin), another program
 * (`child_process`) or the network (`fetch`, `http`, `https`, `net`). Definitions that do so may
 * say something else on each load with nothing else changed (`seed: Date.now()`, a daily seed, a
 * schema fetched from a registry), so a description of them must never be reused. synthgraph's own
 * loading does none of these (checked on the examples and a 10,000-asset project).
 */
export async function recordVolatileReads<T>(fn: () => Promise<T>): Promise<{ value: T; read: boolean }> {
  const recording = { read: false };
  const value = await volatilePatch.during(recording, fn);
  return { value, read: recording.read };
}

const volatilePatch: SharedPatch<{ read: boolean }> = new SharedPatch(() => {
  const RealDate = Date;
  // `new Date()` with no argument reads the clock; with one it does not.
  const RecordingDate: DateConstructor = new Proxy(RealDate, {
    construct(target, args, newTarget): object {
      if (args.length === 0) noteRead();
      return Reflect.construct(target, args, newTarget === RecordingDate ? target : newTarget) as object;
    },
    apply(target, thisArg, args) {
      noteRead(); // Date() as a function returns the current time as a string
      return Reflect.apply(target, thisArg, args) as unknown;
    },
  });
  globalThis.Date = RecordingDate;
  const unwrap = wrapMethods(
    [
      [RealDate, ['now']],
      [Math, ['random']],
      [performance, ['now']],
      // Before process.hrtime itself, whose wrapper carries its (wrapped) bigint over.
      [process.hrtime, ['bigint']],
      [process, ['hrtime', 'uptime']],
      [crypto, ['randomUUID', 'randomBytes', 'randomInt']],
      [childProcess, ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork']],
      [http, ['request', 'get']],
      [https, ['request', 'get']],
      [net, ['connect', 'createConnection']],
      [globalThis, ['fetch']],
      ...(globalThis.crypto ? [[globalThis.crypto, ['randomUUID', 'getRandomValues']] as const] : []),
    ],
    noteRead,
  );
  return () => {
    unwrap();
    globalThis.Date = RealDate;
  };
});

function noteRead(): void {
  for (const r of volatilePatch.recordings) r.read = true;
}
