import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { packageRoot } from '../engine/index.js';

/** What a launched run reports to the page. */
export interface LaunchedRun {
  /** Local id of the launch (the engine's run id arrives with its first event). */
  launch: string;
  pid: number;
  selection: string[];
  started_at: string;
}

/** Keep the end of a failed run's stderr: its error message (what / why / fix). */
const STDERR_TAIL = 4096;

/**
 * Runs `synth materialize --events` as a child process for the page's Materialize action.
 * A child, not an in-process call: it is exactly the CLI's path (the same flags, lock, lineage
 * delivery and exit codes), a crash or a runaway generator cannot take the UI server down, and
 * the UI reads the documented `--events` stream like any other tool would.
 */
export class RunLauncher {
  private child?: ChildProcess;
  private current?: LaunchedRun;
  private count = 0;

  constructor(
    private readonly root: string,
    private readonly defs: string | undefined,
    private readonly onEvent: (event: string, data: unknown) => void,
  ) {}

  /** The run this server launched and that is still going, if any. */
  running(): LaunchedRun | undefined {
    return this.current;
  }

  start(selection: readonly string[], force: boolean): LaunchedRun {
    const bin = path.join(packageRoot(), 'bin', 'synth.mjs');
    const args = [bin, 'materialize', '--events', '--no-color', '--root', this.root, ...(this.defs ? ['--defs', this.defs] : []), ...(force ? ['--force'] : []), '--', ...selection];
    const child = spawn(process.execPath, args, { cwd: this.root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: '0' } });
    const run: LaunchedRun = { launch: `launch-${++this.count}`, pid: child.pid ?? 0, selection: [...selection], started_at: new Date().toISOString() };
    this.child = child;
    this.current = run;
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-STDERR_TAIL)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      try {
        this.onEvent('run', { launch: run.launch, ...(JSON.parse(line) as Record<string, unknown>) });
      } catch {
        // Not an event line (nothing else is printed with --events): ignored.
      }
    });
    child.on('error', (err) => {
      stderr += err.message;
    });
    child.on('close', (code) => {
      if (this.child === child) {
        this.child = undefined;
        this.current = undefined;
      }
      this.onEvent('run-exit', { launch: run.launch, code, error: code === 0 ? null : stderr.trim() || `exit code ${code}` });
    });
    return run;
  }

  /** Stops a running child (the server is closing): it records what finished and exits. */
  stop(): void {
    this.child?.kill('SIGTERM');
  }
}
