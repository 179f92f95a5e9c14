// The module itself, not the engine's index: every command loads this one, `status` before anything else.
import { type OutputTarget, writeOutputFile } from '../engine/output-path.js';
import { Chalk, type ChalkInstance } from 'chalk';

/** Where and how a command prints: colour as `colorLevel` decides, JSON when asked. */
export interface Output {
  json: boolean;
  verbose: boolean;
  color: ChalkInstance;
  /** True when stdout is an interactive terminal (live progress allowed). */
  tty: boolean;
  out(text: string): void;
  err(text: string): void;
}

export function makeOutput(options: { json?: boolean; verbose?: boolean; color?: boolean }): Output {
  const tty = !!process.stdout.isTTY;
  return {
    json: !!options.json,
    verbose: !!options.verbose,
    color: new Chalk({ level: colorLevel(options.color, tty, process.env) }),
    tty,
    out: (text) => void process.stdout.write(text.endsWith('\n') ? text : text + '\n'),
    err: (text) => void process.stderr.write(text.endsWith('\n') ? text : text + '\n'),
  };
}

/**
 * Chalk's colour level (0 none, 1 basic, 2 256 colours, 3 truecolor), as Node and chalk read the
 * conventions: `--no-color` wins; then `FORCE_COLOR` (`0`/`false` off, `1`/`2`/`3` that level,
 * empty or `true` basic), which colours piped output too (CI logs); then `NO_COLOR`; otherwise
 * colour only on a terminal that is not `TERM=dumb`.
 */
export function colorLevel(flag: boolean | undefined, tty: boolean, env: NodeJS.ProcessEnv): 0 | 1 | 2 | 3 {
  if (flag === false) return 0;
  const force = env.FORCE_COLOR;
  if (force !== undefined) {
    if (force === '0' || force.toLowerCase() === 'false') return 0;
    if (force === '2' || force === '3') return Number(force) as 2 | 3;
    return 1;
  }
  if (env.NO_COLOR || !tty || env.TERM === 'dumb') return 0;
  return process.stdout.hasColors?.(256) ? 2 : 1;
}

/** Pads a string to a width, measuring without escape codes. */
function pad(text: string, width: number): string {
  // eslint-disable-next-line no-control-regex -- ESC starts an ANSI colour code, the very thing removed
  const visible = text.replace(/\x1b\[[0-9;]*m/g, '').length;
  return text + ' '.repeat(Math.max(0, width - visible));
}

/** A plain text table: columns sized to their widest cell. */
export function table(headers: string[], rows: string[][], c: ChalkInstance): string {
  // eslint-disable-next-line no-control-regex -- ESC starts an ANSI colour code, the very thing removed
  const strip = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '');
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => strip(r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : pad(cell, widths[i])))
      .join('  ')
      .trimEnd();
  return [c.bold(line(headers)), ...rows.map(line)].join('\n');
}

/** "3 min ago"-style age of an ISO timestamp. */
export function age(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return '-';
  const s = Math.round((now - Date.parse(iso)) / 1000);
  if (s < 60) return `${Math.max(s, 0)}s ago`;
  if (s < 3600) return `${Math.round(s / 60)}m ago`;
  if (s < 86400) return `${Math.round(s / 3600)}h ago`;
  return `${Math.round(s / 86400)}d ago`;
}

/**
 * Writes a command's document (an export, a report) to an output target checked beforehand with
 * `checkOutputPath` (a regular file outside `.synth/`, written atomically), or to stdout when there
 * is none or it is `-`, waiting until stdout has taken it all (large outputs to a pipe).
 * Returns the absolute path written, if any.
 */
export async function writeDocument(text: string, target?: OutputTarget): Promise<string | undefined> {
  if (target?.kind === 'file') {
    writeOutputFile(target, text);
    return target.file;
  }
  await new Promise<void>((resolve, reject) => process.stdout.write(text, (err) => (err ? reject(err) : resolve())));
  return undefined;
}
