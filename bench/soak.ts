/**
 * Fault soak (not part of `npm test` nor `npm run bench`: minutes of work): SIGKILL at random
 * points of `synth materialize`, of `synth daemon` during its runs, and of `synth lineage-push`,
 * then check what survived. Prints, per scenario: trials, failures, and what was lost.
 *
 *   npm run soak                      # 100 trials of each scenario
 *   npm run soak -- --trials 20 materialize daemon
 *
 * After each kill: the catalog must still load (`synth status`), `synth verify` must find no
 * corrupt or missing object (temporary files are counted: `synth gc` removes them), the next
 * `synth materialize` must succeed with byte-identical data (same hashes as a clean reference run),
 * and for lineage, after a completing push, MLflow must hold exactly one run per materialization.
 */
import { createServer } from 'node:net';
import path from 'node:path';
import { readCatalogData } from '../test/support/catalog.js';
import { startMlflowServer } from '../test/support/mlflow-server.js';
import { makeProject, removeProject, synth, synthAsync } from '../test/support/project.js';

const args = process.argv.slice(2);
const trialsAt = args.indexOf('--trials');
const TRIALS = trialsAt >= 0 ? Number(args[trialsAt + 1]) : 100;
const wanted = args.filter((a, i) => !a.startsWith('--') && args[i - 1] !== '--trials');
const scenarios = wanted.length ? wanted : ['materialize', 'daemon', 'lineage'];

/** Big enough that writing takes a while (kills land mid-write), with a chain and an independent branch. */
const DEFS = `
import { asset, schedule } from 'synthgraph';
export const big = asset({ name: 'big', codeVersion: '1', materialize: () =>
  Array.from({ length: 150_000 }, (_, i) => ({ i, text: 'row ' + i + ' '.repeat(30), v: (i * 7919) % 1000 })) });
export const mid = asset({ name: 'mid', deps: { big }, codeVersion: '1', materialize: (_c, { big }) => big.filter((r) => r.v < 500) });
export const small = asset({ name: 'small', deps: { mid }, codeVersion: '1', materialize: (_c, { mid }) => ({ n: mid.length }) });
export const other = asset({ name: 'other', codeVersion: '1', materialize: () => Array.from({ length: 50_000 }, (_, i) => ({ i })) });
export const often = schedule({ name: 'often', cron: '*/1 * * * * *', select: '*', force: true });
`;

const LINEAGE_DEFS = `
import { asset } from 'synthgraph';
export const a = asset({ name: 'a', codeVersion: '1', materialize: () => Array.from({ length: 100 }, (_, i) => ({ i })) });
export const b = asset({ name: 'b', deps: { a }, codeVersion: '1', materialize: (_c, { a }) => a.map((r) => ({ ...r, b: true })) });
export const c = asset({ name: 'c', deps: { b }, codeVersion: '1', materialize: (_c, { b }) => ({ n: b.length }) });
`;

interface Result {
  scenario: string;
  trials: number;
  failures: number;
  lost: string[];
  temporaryLeft: number;
}

interface RunJson {
  ok: boolean;
  assets: { asset: string; data_hash: string | null }[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const hashes = (r: RunJson) => Object.fromEntries(r.assets.map((a) => [a.asset, a.data_hash]));

function json<T>(dir: string, cmd: string[], env: Record<string, string> = {}): { code: number; json?: T; stderr: string } {
  const r = synth(dir, [...cmd, '--json'], env);
  try {
    return { code: r.code, json: JSON.parse(r.stdout) as T, stderr: r.stderr };
  } catch {
    return { code: r.code, stderr: r.stderr + r.stdout };
  }
}

/** What a kill left: problems found (empty: nothing lost) and temporary files counted. */
function inspect(dir: string, reference: Record<string, string | null>): { problems: string[]; temporary: number } {
  const problems: string[] = [];
  const status = synth(dir, ['status', '--json']);
  if (status.code !== 0) problems.push(`status exit ${status.code}: ${status.stderr.split('\n')[0]}`);
  const verify = json<{ problems: { kind: string; file: string }[] }>(dir, ['verify']);
  const bad = verify.json?.problems.filter((p) => p.kind !== 'temporary') ?? [];
  if (!verify.json) problems.push(`verify failed: ${verify.stderr.split('\n')[0]}`);
  for (const p of bad) problems.push(`${p.kind} ${path.basename(p.file)}`);
  const temporary = verify.json?.problems.filter((p) => p.kind === 'temporary').length ?? 0;
  const again = json<RunJson>(dir, ['materialize']);
  if (again.code !== 0 || !again.json?.ok) problems.push(`re-run exit ${again.code}: ${again.stderr.split('\n')[0]}`);
  else {
    const got = hashes(again.json);
    for (const [asset, h] of Object.entries(reference)) if (got[asset] !== h) problems.push(`${asset}: data ${String(got[asset]).slice(0, 12)} ≠ reference ${String(h).slice(0, 12)}`);
  }
  return { problems, temporary };
}

/**
 * Trials on one project: a clean reference run (its duration bounds the kill points), then for each
 * trial `killOne` starts and kills a process and returns its own findings, and `inspect` checks
 * what the kill left.
 */
async function soakKills(scenario: string, killOne: (dir: string, span: number) => Promise<string[]>): Promise<Result> {
  const dir = makeProject({ 'src/assets/index.ts': DEFS });
  const result: Result = { scenario, trials: 0, failures: 0, lost: [], temporaryLeft: 0 };
  try {
    const t0 = Date.now();
    const first = json<RunJson>(dir, ['materialize']);
    if (!first.json?.ok) throw new Error(`reference run failed: ${first.stderr}`);
    const span = Date.now() - t0;
    const reference = hashes(first.json);
    for (let i = 0; i < TRIALS; i++) {
      const problems = await killOne(dir, span);
      const inspected = inspect(dir, reference);
      problems.push(...inspected.problems);
      result.trials++;
      result.temporaryLeft += inspected.temporary;
      if (problems.length) {
        result.failures++;
        result.lost.push(`trial ${i + 1}: ${problems.join('; ')}`);
      }
    }
  } finally {
    removeProject(dir);
  }
  return result;
}

const soakMaterialize = () =>
  soakKills('materialize (SIGKILL mid-run)', async (dir, span) => {
    const run = synthAsync(dir, ['materialize', '--force']);
    await sleep(Math.random() * span);
    run.child.kill('SIGKILL');
    await run.done;
    return [];
  });

const soakDaemon = () =>
  soakKills('daemon (SIGKILL during scheduled runs)', async (dir) => {
    const d = synthAsync(dir, ['daemon']);
    await sleep(800 + Math.random() * 3000);
    d.child.kill('SIGKILL');
    await d.done;
    const schedules = json<{ schedules: { last_outcome: string | null }[] }>(dir, ['schedules']);
    return schedules.json?.schedules.some((s) => s.last_outcome === 'running') ? ['schedule shows running with no daemon'] : [];
  });

async function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function soakLineage(): Promise<Result> {
  const server = await startMlflowServer();
  const dir = makeProject({ 'src/assets/index.ts': LINEAGE_DEFS, 'synth.config.json': JSON.stringify({ mlflow: { deliveryTimeoutMs: 300 } }) });
  const result: Result = { scenario: 'lineage-push (SIGKILL mid-push)', trials: 0, failures: 0, lost: [], temporaryLeft: 0 };
  const down = { MLFLOW_TRACKING_URI: `http://127.0.0.1:${await closedPort()}` };
  const up = { MLFLOW_TRACKING_URI: server.uri };
  try {
    for (let i = 0; i < TRIALS; i++) {
      // Events pile up while MLflow is unreachable...
      synth(dir, ['materialize', '--force'], down);
      // ...then a push is killed at a random point, and a second one completes it.
      const t0 = Date.now();
      const push = synthAsync(dir, ['lineage-push'], up);
      await sleep(Math.random() * 2500);
      push.child.kill('SIGKILL');
      await push.done;
      const done = json<{ pending: number; failed: number }>(dir, ['lineage-push'], up);
      const problems: string[] = [];
      if (done.code !== 0 || done.json?.pending !== 0) problems.push(`completing push: exit ${done.code}, ${done.json?.pending ?? '?'} pending ${done.stderr.split('\n')[0]}`);
      const catalog = readCatalogData(dir);
      const runs = await mlflowRuns(server.uri);
      const perMat = new Map<string, number>();
      for (const id of runs) perMat.set(id, (perMat.get(id) ?? 0) + 1);
      const missing = catalog.materializations.filter((m) => !perMat.has(m.id)).length;
      const duplicated = [...perMat.values()].filter((n) => n > 1).length;
      if (missing) problems.push(`${missing} materialization(s) without an MLflow run`);
      if (duplicated) problems.push(`${duplicated} materialization(s) with several MLflow runs`);
      result.trials++;
      if (problems.length) {
        result.failures++;
        result.lost.push(`trial ${i + 1} (${Date.now() - t0} ms): ${problems.join('; ')}`);
      }
    }
  } finally {
    removeProject(dir);
    await server.destroy();
  }
  return result;
}

/** fetch + JSON, retried: MLflow's server may close a kept-alive connection just as it is reused. */
async function fetchJson(url: string, init?: RequestInit): Promise<unknown> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await (await fetch(url, init)).json();
    } catch (err) {
      if (attempt >= 5) throw err;
      await sleep(200 * attempt);
    }
  }
}

/** The `synthgraph.materialization_id` tag of every run of the project's experiment. */
async function mlflowRuns(uri: string): Promise<string[]> {
  const exp = (await fetchJson(`${uri}/api/2.0/mlflow/experiments/get-by-name?experiment_name=user-project`)) as { experiment: { experiment_id: string } };
  const ids: string[] = [];
  let token: string | undefined;
  do {
    const res = (await fetchJson(`${uri}/api/2.0/mlflow/runs/search`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ experiment_ids: [exp.experiment.experiment_id], max_results: 1000, page_token: token }),
    })) as { runs?: { data: { tags?: { key: string; value: string }[] } }[]; next_page_token?: string };
    for (const run of res.runs ?? []) {
      const tag = run.data.tags?.find((t) => t.key === 'synthgraph.materialization_id');
      if (tag) ids.push(tag.value);
    }
    token = res.next_page_token;
  } while (token);
  return ids;
}

const run: Record<string, () => Promise<Result>> = { materialize: soakMaterialize, daemon: soakDaemon, lineage: soakLineage };
const results: Result[] = [];
for (const name of scenarios) {
  if (!Object.hasOwn(run, name)) throw new Error(`unknown scenario ${name}: use materialize, daemon or lineage`);
  const started = Date.now();
  const r = await run[name]();
  results.push(r);
  console.log(`\n## ${r.scenario}: ${r.trials} trials, ${r.failures} failures, ${r.temporaryLeft} temporary file(s) left for gc (${((Date.now() - started) / 1000).toFixed(0)} s)`);
  for (const line of r.lost) console.log(`  lost: ${line}`);
}
console.table(
  results.map((r) => ({ scenario: r.scenario, trials: r.trials, failures: r.failures, 'temporary files left': r.temporaryLeft, lost: r.lost.length ? r.lost.length : 'nothing' })),
);
process.exitCode = results.some((r) => r.failures) ? 1 : 0;
