import { completenessCheck } from './completeness-check.js';
import { driftCheck } from './drift-check.js';
import { fidelityCheck } from './fidelity-check.js';
import { feedbackCheck } from './feedback-check.js';
import { noiseCheck } from './noise-check.js';
import { privacyCheck } from './privacy-check.js';
import { rulesCheck } from './rules-check.js';
import { schemaCheck } from './schema-check.js';
import { uniqueCheck } from './unique-check.js';
import { utilityCheck } from './utility-check.js';

export type { CheckOptions } from './make-check.js';

/**
 * Built-in checks for `validation({ checks: [...] })`. Each takes `blocking` (default false),
 * `threshold` (a minimum score in [0, 1]) and `name`, plus its own options.
 *
 * - `schema()`: rows matching the target's zod schema.
 * - `rules({ rules?, promptRules? })`: rows satisfying the prompt file's rules (and extra ones).
 * - `unique({ key? })`: duplicate rows and key uniqueness.
 * - `completeness({ maxNullRate?, perColumn?, columns? })`: null rate per column.
 * - `fidelity({ threshold?, columns?, seed? })`: synthetic vs real quality (needs `reference`).
 * - `drift({ columns?, ksAlpha?, live?, prompt? })`: PSI and KS per column (needs `reference`).
 * - `utility({ target, positiveLabel?, holdout?, seed?, features? })`: TSTR vs TRTR (needs `reference`).
 * - `feedback({ feedback, minCount? })`: known failure patterns (feedback records) the data covers.
 * - `noise({ tolerance? })`: the prompt's declared imperfections (`noise:`) measured in the rows.
 * - `privacy({ holdout?, seed?, maxCopyRate?, maxIdentifierReuse? })`: copies of real rows and values, DCR vs a hold-out (needs `reference`).
 * (The public `checks` of the package adds `images()` from the images room; see `src/index.ts`.)
 */
export const checks = {
  schema: schemaCheck,
  rules: rulesCheck,
  unique: uniqueCheck,
  completeness: completenessCheck,
  fidelity: fidelityCheck,
  drift: driftCheck,
  utility: utilityCheck,
  privacy: privacyCheck,
  noise: noiseCheck,
  feedback: feedbackCheck,
} as const;
