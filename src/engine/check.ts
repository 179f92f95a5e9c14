import type { DefinitionProblem } from './definition-problem.js';
import type { Row, RowSchema } from './rows.js';

/** A rule as checks see it (compiled from a prompt file). */
export interface RuleLike {
  text: string;
  line?: number;
  file?: string;
  test(row: Row): boolean;
}

/** What a check gets to look at. */
export interface CheckContext {
  /** Name of the validation asset. */
  asset: string;
  /** Rows of the dataset under test. */
  rows: Row[];
  /** Row schema of the dataset under test, when it is a generated dataset. */
  schema?: RowSchema;
  /** Rules of the dataset's prompt file. */
  rules: RuleLike[];
  /** Prompt file path of the dataset, for suggestions. */
  promptFile?: string;
  /** Reference (real) rows, when the validation declares one. */
  reference?: Row[];
  /** Prompt file of the reference, when the reference is itself a generated dataset (for drift suggestions). */
  referencePromptFile?: string;
  /** Every input of the validation asset, by dep key. */
  inputs: Record<string, unknown>;
  /** Seed for any sampling, so scores are reproducible (the validation's `seed`, default 42). */
  seed: number;
  signal: AbortSignal;
  /** Reads a stored object by its sha256 (checks of values that refer to objects, such as images). @throws CorruptObjectError */
  readObject?(hash: string): Buffer;
}

/** What a check computes. */
export interface CheckOutcome {
  /** Score in [0, 1], higher is better (for drift: 1 − share of drifted columns). */
  score: number;
  /** Pass/fail; default: `score >= threshold`. */
  passed?: boolean;
  /** One-line summary for tables. */
  summary: string;
  details: Record<string, unknown>;
  /** Numbers to record as metrics (e.g. per-column scores). */
  metrics?: Record<string, number>;
}

/** A check of a validation asset. Build them with the `checks` helpers. */
export interface Check {
  /** Name, unique within the validation asset. Example: `'rules'`. */
  readonly name: string;
  /** When true, a failed check blocks every downstream asset and the run exits 1. */
  readonly blocking: boolean;
  /** Minimum score to pass. */
  readonly threshold: number;
  /** The check's settings, hashed into the validation's cache key. */
  readonly config: unknown;
  run(ctx: CheckContext): Promise<CheckOutcome> | CheckOutcome;
  /**
   * Mistakes in the check's options that can be seen before anything runs (a column that is not
   * one of the columns it will get), or undefined. Called on every command after loading.
   */
  checkDefinition?(ctx: CheckDefinitionContext): DefinitionProblem | undefined;
}

/** What a check can know about its validation before anything runs. */
export interface CheckDefinitionContext {
  /** Name of the validation asset. */
  asset: string;
  /** Columns of the dataset under test, when known (a dataset's schema, a source file's header). */
  targetColumns?: readonly string[];
  /** Columns of the reference data, when known. */
  referenceColumns?: readonly string[];
  /** Whether the validation declares a `reference`. */
  hasReference: boolean;
}
