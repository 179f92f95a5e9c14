import { syncBuiltinESMExports } from 'node:module';

/**
 * A patch of globals that records what code reads while loading definitions (environment, files,
 * the clock...), installed while at least one recording runs: a long-running process (the daemon,
 * the UI) may load two projects at once, so the first recording installs it, the last removes it,
 * and each sees what was read during its own run.
 */
export class SharedPatch<R> {
  /** Recordings under way: what the patch reports to. */
  readonly recordings = new Set<R>();
  private remove?: () => void;

  /** `install` patches and returns what puts everything back. */
  constructor(private readonly install: () => () => void) {}

  async during<T>(recording: R, fn: () => Promise<T>): Promise<T> {
    this.recordings.add(recording);
    if (this.recordings.size === 1) this.remove = this.install();
    try {
      return await fn();
    } finally {
      this.recordings.delete(recording);
      if (this.recordings.size === 0) {
        this.remove?.();
        this.remove = undefined;
      }
    }
  }
}

/**
 * Replaces methods by wrappers that call `before(args)` first, and returns what puts them back.
 * Members that are not functions, or cannot be replaced (a getter-only export such as node:crypto's
 * getRandomValues), are left alone. A function's own properties are carried over (process.hrtime
 * carries hrtime.bigint), and the built-ins' ES module views follow (`import { readFileSync } from
 * 'node:fs'` binds to them).
 */
export function wrapMethods(targets: readonly (readonly [object, readonly string[]])[], before: (args: unknown[]) => void): () => void {
  const undo: (() => void)[] = [];
  for (const [owner, names] of targets) {
    const target = owner as Record<string, unknown>;
    for (const name of names) {
      const original = target[name] as ((...args: unknown[]) => unknown) | undefined;
      if (typeof original !== 'function') continue;
      const wrapped = function (this: unknown, ...args: unknown[]) {
        before(args);
        return original.apply(this, args);
      };
      Object.assign(wrapped, original);
      try {
        target[name] = wrapped;
      } catch {
        continue;
      }
      if (target[name] === wrapped) undo.push(() => (target[name] = original));
    }
  }
  syncBuiltinESMExports();
  return () => {
    for (const step of undo.reverse()) step();
    syncBuiltinESMExports();
  };
}
