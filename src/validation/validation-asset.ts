import { type AssetDef, type Check, type CommonOptions, COMMON_OPTION_KEYS, defineAsset, type Deps } from '../engine/index.js';

/** What a `validation()` definition carries (see `ValidationOptions`). */
export interface ValidationSpec {
  kind: 'validation';
  checks: Check[];
  /** Dep key of the dataset under test. */
  target: string;
  /** Dep key of the reference (real) data, for fidelity, drift and utility checks. */
  reference?: string;
  /** Seed for the checks' sampling. */
  seed: number;
}

/** Options of a validation report. */
export interface ValidationOptions<D extends Deps> extends CommonOptions<D> {
  /** Checks to run (see `checks`). Example: `[checks.schema(), checks.rules({ blocking: true })]`. */
  checks: Check[];
  /** Dep key of the dataset under test. Default: the first dep that is a dataset, else the first dep. */
  target?: keyof D & string;
  /** Dep key of the real data that fidelity, drift and utility checks compare against. */
  reference?: keyof D & string;
  /** Seed for any sampling the checks do, so scores are reproducible. Default: 42. */
  seed?: number;
}

/** Result of one check in a validation report. */
export interface CheckResult {
  name: string;
  /** Score in [0, 1] (higher is better) or the check's own metric. */
  score: number;
  passed: boolean;
  threshold: number;
  blocking: boolean;
  /** One-line summary. */
  summary: string;
  details: Record<string, unknown>;
}

/** The value of a validation asset. */
export interface ValidationReport {
  target: string;
  rows: number;
  passed: boolean;
  checks: CheckResult[];
}

const VALIDATION_OPTION_KEYS = [...COMMON_OPTION_KEYS, 'checks', 'target', 'reference', 'seed'];

/** Declares a validation report over a dataset. */
export function validation<D extends Deps>(options: ValidationOptions<D>): AssetDef<ValidationReport> {
  const entries = Object.entries(options.deps ?? {});
  const target = options.target ?? entries.find(([, d]) => d.kind === 'dataset')?.[0] ?? entries[0]?.[0] ?? '';
  return defineAsset<ValidationReport, ValidationSpec>(
    options,
    { kind: 'validation', checks: options.checks, target, reference: options.reference, seed: options.seed ?? 42 },
    VALIDATION_OPTION_KEYS,
  );
}
