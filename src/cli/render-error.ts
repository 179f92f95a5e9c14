import path from 'node:path';
import { isSynthError } from '../engine/index.js';
import type { Output } from './output.js';

/**
 * Renders any error as one paragraph: what happened, why, how to fix, with file:line when known.
 * Stack traces only with --verbose. Returns the exit code.
 */
export function renderError(err: unknown, output: Output, cwd = process.cwd()): number {
  const c = output.color;
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
  const lines = [
    `${c.red.bold('error')}: ${e?.message ?? String(err)}`,
    `  ${c.dim('why')} an unexpected internal error (a bug in synthgraph or in an asset's code).`,
    `  ${c.dim('fix')} run again with --verbose for the stack trace, and report it if it is ours.`,
  ];
  if (output.verbose && e?.stack) lines.push(c.dim(e.stack));
  output.err(lines.join('\n'));
  return 1;
}
