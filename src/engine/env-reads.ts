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
 * Runs `fn` with `process.env` replaced by a recording proxy, then puts the real object back. A
 * module that kept a reference to the proxy (`const env = process.env` at its top level) still
 * reads and writes the real environment through it, unrecorded once `fn` has finished.
 */
export async function recordEnvReads<T>(fn: () => Promise<T>): Promise<{ value: T; reads: EnvReads }> {
  const real = process.env;
  const names = new Set<string>();
  let all = false;
  let recording = true;
  const proxy = new Proxy(real, {
    get(target, key, receiver) {
      if (recording && typeof key === 'string') names.add(key);
      return Reflect.get(target, key, receiver) as unknown;
    },
    has(target, key) {
      if (recording && typeof key === 'string') names.add(key);
      return Reflect.has(target, key);
    },
    getOwnPropertyDescriptor(target, key) {
      if (recording && typeof key === 'string') names.add(key);
      return Reflect.getOwnPropertyDescriptor(target, key);
    },
    // Writes go to the real environment as they would without the proxy (Node coerces values to strings).
    set(target, key, value) {
      return Reflect.set(target, key, value);
    },
    ownKeys(target) {
      if (recording) all = true;
      return Reflect.ownKeys(target);
    },
  });
  process.env = proxy;
  try {
    const value = await fn();
    return { value, reads: { names: [...names].sort(), all } };
  } finally {
    recording = false;
    if (process.env === proxy) process.env = real;
  }
}
