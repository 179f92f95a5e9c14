import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DaemonLogEntrySchema, type DaemonLogEntry } from '../../src/scheduler/index.js';
import { makeProject } from '../support/project.js';

/**
 * An asset that takes SLOW_MS (5 s by default, of the test's clock: fake timers drive it) and stops
 * on abort, like a well-behaved long generator. Once its timer is armed it reports progress (for
 * in-process tests) and writes `.synth/slow-started` (for tests that watch another process).
 */
export const SLOW_ASSET = `
import { writeFileSync } from 'node:fs';
export const slow = asset({
  name: 'slow',
  materialize: (ctx) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => resolve([{ run: ctx.runId }]), Number(process.env.SLOW_MS ?? 5000));
      ctx.signal.addEventListener('abort', () => { clearTimeout(timer); reject(new Error('stopped')); }, { once: true });
      ctx.progress(0, 1);
      writeFileSync(ctx.root + '/.synth/slow-started', ctx.runId);
    }),
});
`;

/**
 * A temporary project with the repository's example pipelines plus `extra` (TypeScript added to
 * the definitions, with \`asset\` and \`schedule\` imported from synthgraph).
 */
export function scheduledProject(extra = ''): string {
  return makeProject(
    {
      'src/assets/index.ts': "export * from './ecommerce.js';\nexport * from './penguins.js';\nexport * from './testing.js';\n",
      'src/assets/testing.ts': `import { asset, schedule } from 'synthgraph';\n${extra}`,
    },
    { examples: true },
  );
}

/** The daemon's JSONL log of a project, parsed (every line must match the schema). */
export function readLog(dir: string): DaemonLogEntry[] {
  const file = path.join(dir, '.synth', 'logs', 'daemon.jsonl');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => DaemonLogEntrySchema.parse(JSON.parse(line)));
}

/** A sleep on the real clock, captured before any test fakes timers. */
const realSetTimeout = globalThis.setTimeout;
export const realSleep = (ms: number) => new Promise<void>((resolve) => realSetTimeout(resolve, ms));

/** Polls `check` on the real clock until it returns a truthy value (or fails after `timeoutMs`). */
export async function eventually<T>(check: () => T | undefined | false, what: string, timeoutMs = 60_000): Promise<T> {
  // performance.now, not Date.now: tests may fake Date.
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value) return value;
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await realSleep(25);
  }
}
