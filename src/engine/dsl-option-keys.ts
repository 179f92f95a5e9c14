import type { AssetKind } from './definitions.js';
import { UsageError } from './errors.js';
import { didYouMeanText } from './option-issues.js';

const COMMON = ['name', 'deps', 'codeVersion', 'tags', 'group', 'description', 'retries'];

/** The options each DSL function takes (its TypeScript type), for definitions that are not type-checked. */
const KEYS: Record<AssetKind, readonly string[]> = {
  dataset: [...COMMON, 'schema', 'prompt', 'rows', 'seed', 'generator', 'reference', 'allowEmpty'],
  source: [...COMMON, 'file', 'load'],
  validation: [...COMMON, 'checks', 'target', 'reference', 'seed'],
  model: [...COMMON, 'train', 'evaluate', 'config', 'columns'],
  asset: [...COMMON, 'materialize'],
};

/**
 * Refuses an option a DSL function does not take (`refrence:` for `reference:`), naming the
 * closest one. Definitions are bundled without type checking, so TypeScript's own error may
 * never be seen; thrown while they load, the CLI points at the call's file:line.
 */
export function checkOptionKeys(kind: AssetKind, options: object): void {
  const known = KEYS[kind];
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
