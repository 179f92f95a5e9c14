import { MlflowError, MlflowErrorCode } from './mlflow-error.js';

/**
 * Builders for MLflow search filter strings, so that keys with dots and values from users are quoted
 * the way MLflow's parser expects (identifiers in backticks, values in single quotes).
 */

function invalid(what: string, value: string): MlflowError {
  return new MlflowError({
    errorCode: MlflowErrorCode.INVALID_INPUT,
    endpoint: 'search filter',
    message: `${what} ${JSON.stringify(value)} cannot be quoted in an MLflow filter`,
    what: `Cannot search MLflow for ${what} ${JSON.stringify(value)}.`,
    why: 'MLflow\'s filter syntax has no escape for a value holding both \' and ", or a key holding both ` and ".',
    fix: 'Use ids without quote characters.',
  });
}

/** Quotes a string literal: `'v'`, or `"v"` when it holds a single quote. */
export function quoteFilterValue(value: string): string {
  if (!value.includes("'")) return `'${value}'`;
  if (!value.includes('"')) return `"${value}"`;
  throw invalid('value', value);
}

/** Quotes an identifier such as a tag key with dots: `` `synthgraph.materialization_id` ``. */
export function quoteFilterKey(key: string): string {
  if (!key.includes('`')) return `\`${key}\``;
  if (!key.includes('"')) return `"${key}"`;
  throw invalid('key', key);
}

/** `tags.`key` = 'value'`, for run searches. */
export function tagEquals(key: string, value: string): string {
  return `tags.${quoteFilterKey(key)} = ${quoteFilterValue(value)}`;
}
