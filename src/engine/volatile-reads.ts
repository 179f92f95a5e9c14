import childProcess from 'node:child_process';
import crypto from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { syncBuiltinESMExports } from 'node:module';
import net from 'node:net';

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
  recordings.add(recording);
  if (recordings.size === 1) patch();
  try {
    const value = await fn();
    return { value, read: recording.read };
  } finally {
    recordings.delete(recording);
    if (recordings.size === 0) unpatch();
  }
}

const recordings = new Set<{ read: boolean }>();
const undo: (() => void)[] = [];

function noteRead(): void {
  for (const r of recordings) r.read = true;
}

function wrapMethod(owner: object, name: string): void {
  const target = owner as Record<string, unknown>;
  const original = target[name] as ((...args: unknown[]) => unknown) | undefined;
  if (typeof original !== 'function') return;
  const wrapped = function (this: unknown, ...args: unknown[]) {
    noteRead();
    return original.apply(this, args);
  };
  // process.hrtime carries hrtime.bigint as a property of the function.
  for (const key of Object.keys(original)) (wrapped as unknown as Record<string, unknown>)[key] = (original as unknown as Record<string, unknown>)[key];
  try {
    target[name] = wrapped;
  } catch {
    return; // a getter-only export (node:crypto's getRandomValues): the global one is wrapped instead
  }
  if (target[name] !== wrapped) return;
  undo.push(() => (target[name] = original));
}

function patch(): void {
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
  undo.push(() => (globalThis.Date = RealDate));
  wrapMethod(RealDate, 'now');
  wrapMethod(Math, 'random');
  wrapMethod(performance, 'now');
  wrapMethod(process, 'hrtime');
  wrapMethod(process, 'uptime');
  wrapMethod(process.hrtime, 'bigint');
  wrapMethod(crypto, 'randomUUID');
  wrapMethod(crypto, 'randomBytes');
  wrapMethod(crypto, 'randomInt');
  for (const name of ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork']) wrapMethod(childProcess, name);
  for (const name of ['request', 'get']) {
    wrapMethod(http, name);
    wrapMethod(https, name);
  }
  for (const name of ['connect', 'createConnection']) wrapMethod(net, name);
  wrapMethod(globalThis, 'fetch');
  if (globalThis.crypto) {
    wrapMethod(globalThis.crypto, 'randomUUID');
    wrapMethod(globalThis.crypto, 'getRandomValues');
  }
  // `import { randomUUID } from 'node:crypto'` binds to the built-ins' ES module views: update them too.
  syncBuiltinESMExports();
}

function unpatch(): void {
  for (const step of undo.splice(0).reverse()) step();
  syncBuiltinESMExports();
}
