import { UsageError } from './errors.js';
import { didYouMeanText } from './option-issues.js';

/** The options every DSL function takes (`CommonOptions`); each kind's DSL function adds its own. */
export const COMMON_OPTION_KEYS = ['name', 'deps', 'codeVersion', 'tags', 'group', 'description', 'retries'] as const;

/**
 * Refuses an option a DSL function does not take (`refrence:` for `reference:`), naming the
 * closest one. Definitions are bundled without type checking, so TypeScript's own error may
 * never be seen; thrown while they load, the CLI points at the call's file:line.
 * `known`: the options the function takes (its TypeScript type).
 */
export function checkOptionKeys(kind: string, options: object, known: readonly string[]): void {
  for (const key of Object.keys(options)) {
    if (known.includes(key)) continue;
    const name = (options as { name?: unknown }).name;
    throw new UsageError({
      what: `Unknown option "${key}" in ${kind}(${typeof name === 'string' ? `{ name: '${name}' }` : ''}).`,
      why: `${kind}() takes: ${known.join(', ')}.`,
      fix: `${didYouMeanText(key, known).trim()} Rename or remove "${key}".`.trim(),
      asset: typeof name === 'string' ? name : undefined,
    });
  }
}
