import { SynthError, type SynthErrorInit } from './errors.js';

/**
 * A mistake in a definition found before anything runs. Plug-ins return it; the engine raises it
 * as a DefinitionError (exit 2), pointing at `file:line` when given, else at the line of the
 * definitions that declares the asset (and `near`, when given, on or after that line).
 */
export interface DefinitionProblem extends Omit<SynthErrorInit, 'cause'> {
  /**
   * A value written in the definitions to point at: a string is looked for as a quoted literal
   * (`'Label'`), a RegExp as written (`/rows:\s*0\b/`). Default: the asset's `name:` line.
   */
  near?: string | RegExp;
}

/**
 * A user's mistake raised by a parser (a SynthError with exit code 2) as a problem to report;
 * anything else (a bug, an I/O error) is rethrown.
 */
export function problemFromError(err: unknown): DefinitionProblem {
  const e = err as Partial<SynthError> | null;
  if (e instanceof SynthError && e.exitCode === 2) return { what: e.what!, why: e.why, fix: e.fix, file: e.file, line: e.line, column: e.column, asset: e.asset };
  throw err;
}
