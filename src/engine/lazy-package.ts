import { createRequire } from 'node:module';

const requireHere = createRequire(import.meta.url);

/**
 * A package loaded on first use rather than when the module naming it is imported: `synth status`
 * imports the whole library through the user's definitions, so every package a module imports at
 * top level is parsed and compiled by every command, used or not (simple-statistics, diff,
 * csv-parse, fflate, fast-png were a third of the code `synth status` loaded). Synchronous (the
 * package's CommonJS build, or an ES module through Node's `require` of ES modules), so callers
 * stay synchronous. Type it with `import type * as X from 'pkg'`: `lazyPackage<typeof X>('pkg')`.
 */
export function lazyPackage<T>(name: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= requireHere(name) as T);
}
