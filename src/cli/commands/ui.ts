import { spawn } from 'node:child_process';
import type { Command } from 'commander';
import { UsageError } from '../../engine/index.js';
import { DEFAULT_UI_PORT, startUiServer } from '../../ui/index.js';
import { type CommonOptions, intFlag, withCommonOptions } from '../common.js';
import { makeOutput } from '../output.js';

/** Reads `--open`, `--open=false`, `--open no`...: a yes/no flag that also takes a value. */
function boolFlag(value: string | boolean | undefined, flag: string): boolean {
  if (value === undefined || value === true) return true;
  const v = String(value).toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(v)) return true;
  if (['false', '0', 'no', 'off'].includes(v)) return false;
  throw new UsageError({ what: `${flag} takes true or false, got "${value}".`, fix: `Example: ${flag}=false` });
}

/** Opens the page in the desktop's browser; failures are harmless (the URL is printed anyway). */
function openBrowser(url: string): void {
  const [cmd, args] = process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '', url]] : ['xdg-open', [url]];
  try {
    const child = spawn(cmd, args, { stdio: 'ignore', detached: true });
    child.on('error', () => undefined);
    child.unref();
  } catch {
    // No browser launcher: the printed URL is enough.
  }
}

export function registerUi(program: Command, setExit: (code: number) => void): void {
  withCommonOptions(
    program
      .command('ui')
      .description("a local web page: the asset graph by state, live; each asset's status, history, report, charts and data; a Materialize action")
      .option('--port <n>', `port on 127.0.0.1 (0: any free port)`, String(DEFAULT_UI_PORT))
      .option('--open [bool]', 'open it in a browser (default: true on a terminal; --open=false to not)')
      .option('--read-only', 'no Materialize action: the page only shows'),
  ).action(async (flags: CommonOptions & { port: string; open?: string | boolean; readOnly?: boolean }) => {
    const output = makeOutput(flags);
    const port = intFlag(flags.port, '--port', 0)!;
    if (port > 65535) throw new UsageError({ what: `--port must be at most 65535, got ${port}.`, fix: `Example: --port ${DEFAULT_UI_PORT}` });
    // Without a terminal (scripts, tests, CI) nobody is there to look: open only when asked.
    const open = flags.open === undefined ? output.tty && !process.env.CI : boolFlag(flags.open, '--open');
    const server = await startUiServer({ root: flags.root, defs: flags.defs, port, readOnly: flags.readOnly });
    if (output.json) output.out(JSON.stringify({ url: server.url, port: server.port, pid: process.pid, read_only: server.readOnly }));
    else output.out(`synth ui: ${output.color.bold(server.url)} ${output.color.dim(`(${server.readOnly ? 'read-only' : 'Materialize from this page only'}; Ctrl-C to stop)`)}`);
    if (open) openBrowser(server.url);
    await new Promise<void>((resolve) => {
      const stop = () => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        void server.close().then(resolve);
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    setExit(0);
  });
}
