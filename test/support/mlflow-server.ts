/**
 * Starts a real MLflow tracking server for tests: SQLite store and proxied artifacts in a temp dir,
 * on a free 127.0.0.1 port. Needs `bash scripts/setup-mlflow.sh` to have installed `.venv`.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The `mlflow` executable installed by scripts/setup-mlflow.sh. */
export const MLFLOW_BIN = join(REPO_ROOT, '.venv', 'bin', 'mlflow');

export interface MlflowServerOptions {
  /** Store folder to use (kept on stop); default: a new temp dir. */
  dir?: string;
  /** Port; default: a free one. */
  port?: number;
  /** How long to wait for `/health`, in ms. Default 90000 (the first start runs DB migrations). */
  startTimeoutMs?: number;
  /** Extra environment of the server process (MLflow server settings such as `MLFLOW_CREATE_MODEL_VERSION_SOURCE_VALIDATION_REGEX`). */
  env?: Record<string, string>;
}

export interface MlflowServer {
  /** `http://127.0.0.1:<port>` */
  uri: string;
  port: number;
  /** Folder holding `mlflow.db` and `artifacts/`. */
  dir: string;
  /** How long the last start took until `/health` answered, in ms. */
  startupMs: number;
  /** Kills the server's process group; the store stays, so {@link restart} can reuse it. */
  stop(): Promise<void>;
  /** Starts the server again on the same store and port (after {@link stop}, or stopping it first). */
  restart(): Promise<void>;
  /** Stops the server and deletes its temp dir (only a dir this helper created). */
  destroy(): Promise<void>;
}

/** Starts a server and waits until `/health` answers; throws with the server's output tail if it does not. */
export async function startMlflowServer(options: MlflowServerOptions = {}): Promise<MlflowServer> {
  if (!existsSync(MLFLOW_BIN)) {
    throw new Error(`MLflow is not installed: ${MLFLOW_BIN} is missing.\nRun: bash scripts/setup-mlflow.sh`);
  }
  const ownsDir = options.dir === undefined;
  const dir = options.dir ?? (await mkdtemp(join(tmpdir(), 'synthgraph-mlflow-')));
  const port = options.port ?? (await freePort());
  const uri = `http://127.0.0.1:${port}`;
  const timeoutMs = options.startTimeoutMs ?? 90_000;
  let proc: ChildProcess | undefined;
  let startupMs = 0;

  const start = async (): Promise<void> => {
    const started = Date.now();
    const launched = launch(dir, port, options.env);
    proc = launched.proc;
    await waitHealthy(uri, launched, timeoutMs);
    startupMs = Date.now() - started;
  };
  const stop = async (): Promise<void> => {
    const p = proc;
    proc = undefined;
    if (p) await killGroup(p);
  };

  await start();
  return {
    uri,
    port,
    dir,
    get startupMs() {
      return startupMs;
    },
    stop,
    async restart() {
      await stop();
      await start();
    },
    async destroy() {
      await stop();
      if (ownsDir) await rm(dir, { recursive: true, force: true });
    },
  };
}

interface Launched {
  proc: ChildProcess;
  output: () => string;
  exited: () => { code: number | null; signal: NodeJS.Signals | null } | undefined;
}

/** Process groups still alive, killed if the test process exits without stopping them. */
const live = new Set<number>();
let exitHookInstalled = false;

function launch(dir: string, port: number, extraEnv: Record<string, string> = {}): Launched {
  const args = [
    'server',
    '--backend-store-uri',
    `sqlite:///${join(dir, 'mlflow.db')}`,
    '--artifacts-destination',
    join(dir, 'artifacts'),
    '--host',
    '127.0.0.1',
    '--port',
    String(port),
    '--workers',
    '1',
  ];
  const proc = spawn(MLFLOW_BIN, args, {
    cwd: dir,
    // Own process group, so stop() also ends uvicorn's worker processes.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    // No job runner: MLflow 3 starts several huey worker processes for server-side jobs we never use,
    // which cost memory and CPU on a 2-core machine.
    env: { ...process.env, MLFLOW_DISABLE_TELEMETRY: 'true', MLFLOW_SERVER_ENABLE_JOB_EXECUTION: 'false', DO_NOT_TRACK: 'true', PYTHONUNBUFFERED: '1', ...extraEnv },
  });
  let tail = '';
  const keep = (chunk: Buffer): void => {
    tail = (tail + chunk.toString('utf8')).slice(-8_000);
  };
  proc.stdout?.on('data', keep);
  proc.stderr?.on('data', keep);
  let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  proc.on('exit', (code, signal) => {
    exit = { code, signal };
    if (proc.pid) live.delete(proc.pid);
  });
  if (proc.pid) live.add(proc.pid);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', () => {
      for (const pid of live) {
        try {
          process.kill(-pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    });
  }
  return { proc, output: () => tail, exited: () => exit };
}

async function waitHealthy(uri: string, launched: Launched, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const exit = launched.exited();
    if (exit) {
      throw new Error(`MLflow server exited before becoming healthy (code ${exit.code}, signal ${exit.signal}).\n--- server output (tail) ---\n${launched.output()}`);
    }
    try {
      const res = await fetch(`${uri}/health`, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(500);
  }
  await killGroup(launched.proc);
  throw new Error(`MLflow server at ${uri} did not answer /health within ${timeoutMs} ms.\n--- server output (tail) ---\n${launched.output()}`);
}

async function killGroup(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null || !proc.pid) return;
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const signal = (sig: NodeJS.Signals): void => {
    try {
      process.kill(-proc.pid!, sig);
    } catch {
      // the group is gone already
    }
  };
  signal('SIGTERM');
  const timedOut = await Promise.race([exited.then(() => false), sleep(10_000).then(() => true)]);
  if (timedOut) {
    signal('SIGKILL');
    await exited;
  }
  // Workers may outlive the parent briefly; make sure the whole group is gone before the port is reused.
  signal('SIGKILL');
}

/** A port free on 127.0.0.1 right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}
