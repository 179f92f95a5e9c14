import { readCatalogData } from '../support/catalog.js';
import { synthAsync } from '../support/project.js';

/** A running `synth worker` process (spawned from the built CLI). */
export interface WorkerProcess {
  /** Its JSON events so far (`--json` lines). */
  events(): Array<Record<string, unknown>>;
  stderr(): string;
  pid: number;
  /** Resolves on the first event matching `test`. */
  waitFor(test: (e: Record<string, unknown>) => boolean, what: string, timeoutMs?: number): Promise<Record<string, unknown>>;
  kill(signal: NodeJS.Signals): void;
  done: Promise<{ code: number; stdout: string; stderr: string }>;
}

/** Starts `synth worker --queue URL --json` in a project and waits until it takes jobs. */
export async function startWorker(dir: string, url: string, args: string[] = []): Promise<WorkerProcess> {
  const proc = synthAsync(dir, ['worker', '--queue', url, '--json', ...args]);
  const events = () =>
    proc
      .output()
      .stdout.split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  let exited = false;
  void proc.done.then(() => (exited = true));
  const waitFor = async (test: (e: Record<string, unknown>) => boolean, what: string, timeoutMs = 60_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = events().find(test);
      if (hit) return hit;
      if (exited || Date.now() > deadline) throw new Error(`worker: no ${what} (exited: ${exited})\n${proc.output().stdout}\n${proc.output().stderr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const w: WorkerProcess = {
    events,
    stderr: () => proc.output().stderr,
    pid: proc.child.pid!,
    waitFor,
    kill: (signal) => proc.child.kill(signal),
    done: proc.done,
  };
  await waitFor((e) => e.event === 'ready', 'ready event');
  return w;
}

/** Stops workers gracefully and waits for them. */
export async function stopWorkers(workers: WorkerProcess[]): Promise<void> {
  for (const w of workers) w.kill('SIGTERM');
  await Promise.all(workers.map((w) => w.done));
}

type Record_ = Record<string, unknown>;

/** The catalog's materializations of a project, without what differs between any two runs (ids, times, durations). */
export function catalogContent(dir: string): Record_[] {
  const catalog = readCatalogData(dir) as unknown as { materializations: Record_[] };
  return catalog.materializations
    .map(({ id: _id, run_id: _run, started_at: _s, finished_at: _f, duration_ms: _d, upstream, ...rest }): Record_ => ({
      ...rest,
      upstream: Object.fromEntries(Object.entries(upstream as Record<string, Record_>).map(([k, v]) => [k, v.data_hash])),
    }))
    .sort((a, b) => String(a.asset).localeCompare(String(b.asset)));
}

/**
 * Runs `synth ... --json` without blocking this process (the workers' output pipes must keep
 * draining while it runs, which `spawnSync` would stop) and parses its JSON.
 */
export async function synthJsonAsync<T = unknown>(dir: string, args: string[]): Promise<{ code: number; json: T; stderr: string }> {
  const r = await synthAsync(dir, [...args, '--json']).done;
  try {
    return { code: r.code, json: JSON.parse(r.stdout) as T, stderr: r.stderr };
  } catch {
    throw new Error(`synth ${args.join(' ')} did not print JSON (exit ${r.code}):\n${r.stdout}\n${r.stderr}`);
  }
}
