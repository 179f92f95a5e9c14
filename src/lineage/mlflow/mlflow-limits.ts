import { sha256 } from '../../engine/index.js';

/** Server-side limits of MLflow 3.x (mlflow/utils/validation.py). Requests past them are rejected with a 400. */
export const MLFLOW_LIMITS = {
  paramsPerBatch: 100,
  tagsPerBatch: 100,
  metricsPerBatch: 1_000,
  itemsPerBatch: 1_000,
  /** Body of one log-batch request, in bytes (we keep a margin below it). */
  batchBodyBytes: 1_000_000,
  keyLength: 250,
  paramValueLength: 6_000,
  tagValueLength: 8_000,
  /** Tag values of registered models and model versions (prompt texts live in one). */
  registryTagValueLength: 100_000,
  /** Description of a registered model or model version (our margin; MLflow stores it as text). */
  registryDescriptionLength: 5_000,
  datasetNameLength: 500,
  datasetDigestLength: 36,
  datasetSourceLength: 65_535,
  datasetSchemaLength: 1_048_575,
  datasetProfileLength: 16_777_215,
  inputTagKeyLength: 255,
  inputTagValueLength: 500,
} as const;

/** Characters MLflow accepts in metric, param and tag names (`^[/\w.\- :]*$`; ASCII to stay portable). */
const INVALID_NAME_CHARS = /[^/\w.\- :]/g;
/** Length of the hash suffix that keeps truncated keys distinct. */
const KEY_HASH_CHARS = 8;

/**
 * Makes a metric/param/tag key acceptable to MLflow, deterministically:
 * - characters outside `[/\w.\- :]` become `_` (`acc@5` -> `acc_5`);
 * - the key is normalised as a path, since MLflow rejects names that `posixpath.normpath` would
 *   change (`a//b`, `./a`, `a/`, `/a`, `a/../b`): empty and `.` segments are dropped, `..` becomes `__`;
 * - a key longer than 250 characters is cut and ends with `.` + 8 hex chars of the original key's
 *   sha256, so two long keys with the same prefix stay distinct.
 * Keys that are already valid come back unchanged.
 */
export function sanitizeKey(key: string): string {
  const cleaned = key.replace(INVALID_NAME_CHARS, '_');
  const segments = cleaned
    .split('/')
    .filter((s) => s !== '' && s !== '.')
    .map((s) => (s === '..' ? '__' : s));
  const normalised = segments.join('/') || '_';
  if (normalised.length <= MLFLOW_LIMITS.keyLength) return normalised;
  const keep = MLFLOW_LIMITS.keyLength - KEY_HASH_CHARS - 1;
  return `${normalised.slice(0, keep)}.${sha256(key).slice(0, KEY_HASH_CHARS)}`;
}

/**
 * Cuts `value` to at most `max` characters as Python counts them (code points), never splitting a
 * surrogate pair. MLflow measures `len(str)`, so a UTF-16 length check alone could over-truncate.
 */
export function truncateChars(value: string, max: number): string {
  if (value.length <= max) return value;
  const codePoints = Array.from(value);
  return codePoints.length <= max ? value : codePoints.slice(0, max).join('');
}

/** Length in code points, as MLflow's Python checks count it. */
export function charLength(value: string): number {
  let n = 0;
  for (const _ of value) n++;
  return n;
}
