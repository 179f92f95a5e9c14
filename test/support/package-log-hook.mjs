// A module-resolution hook for `node --import`: appends every npm package that the process imports
// (by bare specifier, from outside node_modules) to the file named by SYNTH_TEST_PACKAGE_LOG, one a
// line, and at exit every package loaded through `require` (which resolution hooks do not see on
// Node 20: packages synthgraph loads on first use, src/engine/lazy-package.ts). Used to check which
// packages a `synth` command loads (test/cli/startup.test.ts).
import { appendFileSync } from 'node:fs';
import { createRequire, isBuiltin, register } from 'node:module';

const log = process.env.SYNTH_TEST_PACKAGE_LOG;

/** The hook itself, run by Node's loader thread. */
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  const bare = !/^(\.|\/|file:|data:|node:)/.test(specifier) && !isBuiltin(specifier);
  if (log && bare && !context.parentURL?.includes('/node_modules/')) appendFileSync(log, `${specifier}\n`);
  return resolved;
}

// Imported by `--import` on the main thread: register this file as the hook.
if (!process.env.SYNTH_TEST_PACKAGE_LOG_REGISTERED) {
  process.env.SYNTH_TEST_PACKAGE_LOG_REGISTERED = '1';
  register(import.meta.url);
  if (log) {
    const cache = createRequire(import.meta.url).cache;
    process.on('exit', () => {
      const names = new Set();
      for (const file of Object.keys(cache)) {
        const m = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\/[^]*$/.exec(file);
        if (m && !m[0].slice(1).includes('/node_modules/')) names.add(m[1]);
      }
      if (names.size) appendFileSync(log, [...names].map((n) => `${n}\n`).join(''));
    });
  }
}
