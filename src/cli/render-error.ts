import path from 'node:path';
import { isSynthError } from '../engine/index.js';
import type { Output } from './output.js';

/**
 * An error as `--json` prints it, on stdout, in place of the command's usual JSON:
 * `{"error": {...}}`. The process exit code is the same as without `--json`.
 */
export interface JsonError {
  error: {
    /** What happened, one sentence. */
    what: string;
    /** Why, when known, else null. */
    why: string | null;
    /** How to fix it, when known, else null. */
    fix: string | null;
    /** The user's file the error points to (absolute path), else null. */
    file: string | null;
    /** 1-based line in `file`, else null. */
    line: number | null;
    /** 1-based column in `file`, else null. */
    column: number | null;
    /** The asset concerned, else null. */
    asset: string | null;
    /** The error's class (UsageError, DefinitionError, PromptFileError, MaterializationError, InternalError...). */
    type: string;
    /** The exit code of the process: 2 usage or definition error, 1 run failure or internal error. */
    exit_code: number;
  };
}

const INTERNAL_WHY = "an unexpected internal error (a bug in synthgraph or in an asset's code).";
const INTERNAL_FIX = 'run again with --verbose for the stack trace, and report it if it is ours.';

/** The JSON form of any error (ours, or a bug's). */
export function errorJson(err: unknown): JsonError {
  if (isSynthError(err)) {
    return {
      error: {
        what: err.what,
        why: err.why ?? null,
        fix: err.fix ?? null,
        file: err.file ?? null,
        line: err.line ?? null,
        column: err.column ?? null,
        asset: err.asset ?? null,
        type: err.name,
        exit_code: err.exitCode,
      },
    };
  }
  const e = err as Error | undefined;
  return { error: { what: e?.message ?? String(err), why: INTERNAL_WHY, fix: INTERNAL_FIX, file: null, line: null, column: null, asset: null, type: 'InternalError', exit_code: 1 } };
}

/**
 * Renders any error once, at the CLI edge: with `--json` as `{"error": {...}}` on stdout (stack
 * only with --verbose, on stderr); otherwise as one paragraph on stderr: what happened, why, how
 * to fix, with file:line when known. Returns the exit code.
 */
export function renderError(err: unknown, output: Output, cwd = process.cwd()): number {
  const c = output.color;
  if (output.json) {
    const json = errorJson(err);
    output.out(JSON.stringify(json));
    if (output.verbose && err instanceof Error) output.err(String(err.stack));
    return json.error.exit_code;
  }
  if (isSynthError(err)) {
    const where = err.file ? `${path.relative(cwd, err.file) || err.file}${err.line ? `:${err.line}${err.column ? `:${err.column}` : ''}` : ''}` : undefined;
    const lines = [`${c.red.bold('error')}: ${err.what}`];
    if (where) lines.push(`  ${c.dim('at')}  ${where}`);
    if (err.why) lines.push(`  ${c.dim('why')} ${err.why.replace(/\n/g, '\n      ')}`);
    if (err.fix) lines.push(`  ${c.dim('fix')} ${err.fix.replace(/\n/g, '\n      ')}`);
    if (output.verbose) lines.push(c.dim(String(err.stack)), ...(err.cause instanceof Error ? [c.dim(`cause: ${err.cause.stack}`)] : []));
    output.err(lines.join('\n'));
    return err.exitCode;
  }
  const e = err as Error;
  const lines = [`${c.red.bold('error')}: ${e?.message ?? String(err)}`, `  ${c.dim('why')} ${INTERNAL_WHY}`, `  ${c.dim('fix')} ${INTERNAL_FIX}`];
  if (output.verbose && e?.stack) lines.push(c.dim(e.stack));
  output.err(lines.join('\n'));
  return 1;
}
