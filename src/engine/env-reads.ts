import { SharedPatch } from './load-recording.js';

/**
 * The environment variables a piece of code reads (by name), recorded while it runs: definitions
 * may compute an asset from `process.env` (`rows: Number(process.env.ROWS ?? 100)`), so a project
 * description reused later is only valid while those variables keep their values. Enumerating the
 * environment (`Object.keys(process.env)`, a spread) counts as reading all of it.
 */
export interface EnvReads {
  /** Names read, sorted. */
  names: string[];
  /** True when the code enumerated the environment: every variable then matters. */
  all: boolean;
}

/**
 * Runs `fn` with `process.env` replaced by a recording proxy, then puts the real object back (once
 * no other recording is under way: a long-running process may load two projects at once). A module
 * that kept a reference to the proxy (`const env = process.env` at its top level) still reads and
 * writes the real environment through it, unrecorded once `fn` has finished.
 */
export async function recordEnvReads<T>(fn: () => Promise<T>): Promise<{ value: T; reads: EnvReads }> {
  const reads = { all: false, seen: new Set<string>() };
  const value = await envPatch.during(reads, fn);
  return { value, reads: { names: [...reads.seen].sort(), all: reads.all } };
}

const envPatch: SharedPatch<{ all: boolean; seen: Set<string> }> = new SharedPatch(() => {
  const real = process.env;
  const proxy = proxyOf(real);
  process.env = proxy;
  return () => {
    if (process.env === proxy) process.env = real;
  };
});

function proxyOf(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const noteName = (key: string | symbol): void => {
    if (typeof key === 'string') for (const r of envPatch.recordings) r.seen.add(key);
  };
  return new Proxy(env, {
    get(target, key, receiver) {
      noteName(key);
      return Reflect.get(target, key, receiver) as unknown;
    },
    has(target, key) {
      noteName(key);
      return Reflect.has(target, key);
    },
    getOwnPropertyDescriptor(target, key) {
      noteName(key);
      return Reflect.getOwnPropertyDescriptor(target, key);
    },
    // Writes go to the real environment as they would without the proxy (Node coerces values to strings).
    set(target, key, value) {
      return Reflect.set(target, key, value);
    },
    ownKeys(target) {
      for (const r of envPatch.recordings) r.all = true;
      return Reflect.ownKeys(target);
    },
  });
}
