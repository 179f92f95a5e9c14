import { readCatalogData } from '../support/catalog.js';
/**
 * End to end: the real `synth` CLI materializes the example pipelines with MLFLOW_TRACKING_URI set,
 * against a real MLflow server that the test stops and restarts; what MLflow holds is checked with
 * MLflow's own Python client.
 */
import { copyFileSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createNetServer, type Socket } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mlflowRunLink, pendingLineageEvents } from '../../src/lineage/index.js';
import { startMlflowServer, type MlflowServer } from '../support/mlflow-server.js';
import { runMlflowPy } from '../support/mlflow-py.js';
import { makeProject, readProjectFile, removeProject, synth, synthJson, writeProjectFile } from '../support/project.js';

const FAKE_KEY = 'sk-proj-FAKE-synthgraph-leakcheck-7f3a9c2e1b';
const FAKE_COMMIT = '0123456789abcdef0123456789abcdef01234567';
const py = JSON.stringify;

interface MaterializeJson {
  ok: boolean;
  assets: { asset: string; outcome: string; materialization_id: string | null; data_hash: string | null }[];
  lineage?: { delivered: number; pending: number; failed: number; experiment_id: string | null; stopped: string | null };
}
interface PushJson {
  experiment_id: string;
  delivered: { asset: string; materialization_id: string; run_id: string; created: boolean; model_id: string | null; param_conflicts: string[] }[];
  rejected: unknown[];
  pending: number;
  failed: number;
}
interface PyRun {
  run_id: string;
  name: string;
  status: string;
  start: number;
  end: number;
  params: Record<string, string>;
  metrics: Record<string, number>;
  tags: Record<string, string>;
  inputs: { name: string; digest: string; context: string[]; schema: string | null; profile: string | null; source: string }[];
  outputs: string[];
}

/** Every run of the experiment, as MLflow's Python client sees it. */
function allRuns(uri: string, experimentId: string): Promise<PyRun[]> {
  return runMlflowPy(
    uri,
    `
result = []
for r in client.search_runs([${py(experimentId)}], max_results=1000):
    result.append({"run_id": r.info.run_id, "name": r.info.run_name, "status": r.info.status, "start": r.info.start_time, "end": r.info.end_time,
        "params": r.data.params, "metrics": r.data.metrics, "tags": r.data.tags,
        "inputs": [{"name": d.dataset.name, "digest": d.dataset.digest, "context": [t.value for t in d.tags if t.key == "mlflow.data.context"],
                    "schema": d.dataset.schema, "profile": d.dataset.profile, "source": d.dataset.source} for d in r.inputs.dataset_inputs],
        "outputs": [o.model_id for o in (r.outputs.model_outputs if r.outputs else [])]})
`,
  );
}

const byMat = (runs: PyRun[], id: string | null | undefined): PyRun => {
  const found = runs.filter((r) => r.tags['synthgraph.materialization_id'] === id);
  expect(found, `runs of materialization ${id}`).toHaveLength(1);
  return found[0];
};
/** Materializations a run made (and so lineage events): materialized, cached or failed assets. */
const recorded = (json: MaterializeJson): number => json.assets.filter((a) => ['materialized', 'cached', 'failed'].includes(a.outcome)).length;
const matId = (json: MaterializeJson, asset: string): string => json.assets.find((a) => a.asset === asset)!.materialization_id!;
const ctx = (run: PyRun, dataset: string): string[] => run.inputs.filter((i) => i.name === dataset).flatMap((i) => i.context);

/** Every file under a folder (to grep the MLflow server's store for secrets). */
function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

describe('lineage to a real MLflow server through the outbox', () => {
  let server: MlflowServer;
  let dir: string;
  let env: Record<string, string>;
  let experimentId: string;
  const first: Record<string, string> = {};
  let first_: MaterializeJson;
  let total = 0;

  beforeAll(async () => {
    // Stopped and restarted by the tests, so this suite has a server of its own.
    server = await startMlflowServer();
    dir = makeProject({}, { examples: true });
    // A dataset whose definition leaks the key into a generator option and its description.
    writeProjectFile(dir, 'prompts/tickets_v1.yaml', readProjectFile(dir, 'prompts/ecommerce_v1.yaml').replace('ecommerce_v1', 'tickets_v1'));
    writeProjectFile(
      dir,
      'src/assets/tickets.ts',
      `import { dataset } from 'synthgraph';
import { Product } from './ecommerce.js';
export const tickets = dataset({
  name: 'tickets', schema: Product, prompt: 'tickets_v1', rows: 20, seed: 1,
  description: 'made with key ' + process.env.OPENAI_API_KEY,
  generator: { provider: 'local', api_key: process.env.OPENAI_API_KEY, note: 'key=' + process.env.OPENAI_API_KEY },
});
`,
    );
    writeProjectFile(dir, 'src/assets/index.ts', `${readProjectFile(dir, 'src/assets/index.ts')}export * from './tickets.js';\n`);
    // A git checkout as git leaves it (HEAD pointing at a branch ref), without running git.
    writeProjectFile(dir, '.git/HEAD', 'ref: refs/heads/main\n');
    writeProjectFile(dir, '.git/refs/heads/main', `${FAKE_COMMIT}\n`);
    writeProjectFile(dir, 'synth.config.json', JSON.stringify({ mlflow: { registerModels: true, deliveryTimeoutMs: 300_000 } }));
    env = { MLFLOW_TRACKING_URI: server.uri, OPENAI_API_KEY: FAKE_KEY };
  });

  afterAll(async () => {
    await server?.destroy();
    if (dir) removeProject(dir);
  });

  it('logs each materialization of the penguins pipeline as a run with params, metrics, inputs, artifacts and a logged model', { timeout: 300_000 }, async () => {
    const { code, json } = synthJson<MaterializeJson>(dir, ['materialize', '+species_model'], env);
    expect(code).toBe(0);
    first_ = json;
    const made = recorded(json);
    expect(made).toBeGreaterThanOrEqual(3);
    expect(json.lineage).toMatchObject({ delivered: made, pending: 0, failed: 0, stopped: null });
    experimentId = json.lineage!.experiment_id!;
    for (const a of json.assets) first[a.asset] = a.materialization_id!;
    const hash = Object.fromEntries(json.assets.map((a) => [a.asset, a.data_hash!]));

    const exp = await runMlflowPy(server.uri, `result = client.get_experiment(${py(experimentId)}).name`);
    expect(exp).toBe('user-project');
    const runs = await allRuns(server.uri, experimentId);
    expect(runs).toHaveLength(made);
    const source = byMat(runs, first.penguins);
    const synthRun = byMat(runs, first.penguins_synth);
    const modelRun = byMat(runs, first.species_model);

    expect(synthRun.name).toBe(`penguins_synth@${hash.penguins_synth.slice(0, 12)}`);
    expect(new Set(runs.map((r) => r.status))).toEqual(new Set(['FINISHED']));
    expect(synthRun.end).toBeGreaterThanOrEqual(synthRun.start);
    expect(synthRun.params).toMatchObject({ asset: 'penguins_synth', kind: 'dataset', prompt_id: 'penguins_v1', seed: '42', rows: '1000', provider: 'local' });
    expect(synthRun.params.prompt_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(synthRun.params.cache_key).toMatch(/^[0-9a-f]{64}$/);
    expect(synthRun.params.code_version).toMatch(/^schema:/);
    expect(synthRun.metrics).toMatchObject({ valid: 1000, rows: 1000 });
    expect(synthRun.metrics.duration_ms).toBeGreaterThanOrEqual(0);
    expect(synthRun.tags).toMatchObject({
      'synthgraph.asset': 'penguins_synth',
      'synthgraph.data_hash': hash.penguins_synth,
      'synthgraph.upstream.penguins_train': byMat(runs, first.penguins_train).run_id,
      'synthgraph.git_commit': FAKE_COMMIT,
      'mlflow.source.git.commit': FAKE_COMMIT,
      'mlflow.source.name': 'src/assets/index.ts',
    });

    // Dataset inputs and their contexts: output on its own run, reference for fitting, training/evaluation for the model.
    expect(ctx(synthRun, 'penguins_synth')).toEqual(['output']);
    expect(ctx(synthRun, 'penguins_train')).toEqual(['reference']);
    const fidelity = byMat(runs, first.penguins_fidelity);
    expect(ctx(fidelity, 'penguins_synth')).toEqual(['evaluation']);
    expect(ctx(fidelity, 'penguins')).toEqual(['reference']);
    expect(ctx(modelRun, 'penguins_synth')).toEqual(['training']);
    expect(ctx(modelRun, 'penguins')).toEqual(['evaluation']);
    expect(ctx(source, 'penguins')).toEqual(['output']);
    const trained = modelRun.inputs.find((i) => i.name === 'penguins_synth')!;
    expect(trained.digest).toBe(hash.penguins_synth.slice(0, 36));
    expect(JSON.parse(trained.profile!).num_rows).toBe(1000);
    const colspec = JSON.parse(trained.schema!).mlflow_colspec as { name: string; type: string }[];
    expect(colspec).toContainEqual({ name: 'Body Mass (g)', type: 'long', required: false });
    expect(colspec.map((c) => c.name)).toContain('Species');

    // Model metrics, upstream run ids, and the LoggedModel linked as the run's output.
    expect(modelRun.metrics.accuracy).toBeGreaterThan(0.5);
    expect(modelRun.tags['synthgraph.upstream.penguins_synth']).toBe(synthRun.run_id);
    expect(modelRun.outputs).toHaveLength(1);
    const model = await runMlflowPy(
      server.uri,
      `m = client.get_logged_model(${py(modelRun.outputs[0])})
versions = client.search_model_versions("name='species_model'")
result = {"status": plain(m.status), "source_run_id": m.source_run_id, "name": m.name,
  "metrics": {x.key: x.value for x in (m.metrics or [])},
  "files": [f.path for f in mlflow.artifacts.list_artifacts(artifact_uri=m.artifact_location)],
  "versions": [{"run_id": v.run_id, "source": v.source} for v in versions]}`,
    );
    expect(model).toMatchObject({ status: 'READY', source_run_id: modelRun.run_id, name: 'species_model' });
    expect(model.metrics.accuracy).toBe(modelRun.metrics.accuracy);
    expect(model.files.some((f: string) => f.endsWith('model.json'))).toBe(true);
    // registerModels is on in synth.config.json: one registered version, made from the logged model's artifacts.
    expect(model.versions).toEqual([{ run_id: modelRun.run_id, source: expect.stringContaining(modelRun.outputs[0]) }]);

    // Artifacts through the proxy: the dataset CSV byte-for-byte, and the prompt file.
    const artifacts = await runMlflowPy(
      server.uri,
      `import tempfile
d = tempfile.mkdtemp()
csv = open(client.download_artifacts(${py(synthRun.run_id)}, "dataset/penguins_synth.csv", d)).read()
prompt = open(client.download_artifacts(${py(synthRun.run_id)}, "prompt/penguins_v1.yaml", d)).read()
result = {"csv": csv, "prompt": prompt}`,
    );
    expect(artifacts.prompt).toBe(readProjectFile(dir, 'prompts/penguins_v1.yaml'));
    expect(artifacts.csv.split('\n')[0]).toContain('Species');
    expect(artifacts.csv.trim().split('\n')).toHaveLength(1001);

    const link = mlflowRunLink({ root: dir, stateDir: path.join(dir, '.synth') }, first.species_model);
    expect(link).toEqual({ run_id: modelRun.run_id, url: `${server.uri}/#/experiments/${experimentId}/runs/${modelRun.run_id}` });
  });

  it('keeps events in the outbox while MLflow is down, and delivers each exactly once after restart', { timeout: 400_000 }, async () => {
    await server.stop();
    const seed43 = synthJson<MaterializeJson>(dir, ['materialize', '+species_model', '--seed', '43'], env);
    expect(seed43.code).toBe(0);
    let pending = recorded(seed43.json);
    expect(pending).toBeGreaterThanOrEqual(2);
    expect(seed43.json.lineage).toMatchObject({ delivered: 0, pending });
    expect(seed43.json.lineage!.stopped).toMatch(/reach|connect|ECONNREFUSED/i);
    const outboxDir = path.join(dir, '.synth', 'outbox');
    const keep = readdirSync(outboxDir).filter((n) => n.endsWith('.json') && n.includes('penguins_synth'));
    expect(keep).toHaveLength(1);
    copyFileSync(path.join(outboxDir, keep[0]), path.join(dir, 'saved-event.json'));

    const ecommerce = synthJson<MaterializeJson>(dir, ['materialize', '+category_model', 'tickets'], env);
    expect(ecommerce.code).toBe(0);
    pending += recorded(ecommerce.json);
    expect(ecommerce.json.lineage!.pending).toBe(pending);
    // Back to seed 42: both assets reuse their first results (cached outcomes get runs too).
    const cached = synthJson<MaterializeJson>(dir, ['materialize', '+species_model', '--seed', '42'], env);
    expect(cached.json.assets.filter((a) => a.outcome === 'cached').map((a) => a.asset)).toEqual(expect.arrayContaining(['penguins_synth', 'species_model']));
    pending += recorded(cached.json);
    expect(cached.json.lineage!.pending).toBe(pending);
    expect(pendingLineageEvents({ stateDir: path.join(dir, '.synth') })).toBe(pending);
    // synth status says so.
    expect(synth(dir, ['status'], env).stdout).toContain(`${pending} lineage events pending for MLflow`);
    // Secrets never reach the outbox on disk either.
    for (const f of readdirSync(outboxDir).filter((n) => n.endsWith('.json'))) expect(readFileSync(path.join(outboxDir, f), 'utf8')).not.toContain(FAKE_KEY);

    await server.restart();
    // `synth lineage push` is the same command as `synth lineage-push`.
    const push = synthJson<PushJson>(dir, ['lineage', 'push'], env);
    expect(push.code).toBe(0);
    expect(push.json).toMatchObject({ pending: 0, failed: 0, rejected: [] });
    expect(push.json.delivered).toHaveLength(pending);
    expect(push.json.delivered.every((d) => d.created && d.param_conflicts.length === 0)).toBe(true);
    // In enqueue order: upstream before downstream.
    const order = push.json.delivered.map((d) => d.materialization_id);
    expect(order.indexOf(matId(seed43.json, 'penguins_synth'))).toBeLessThan(order.indexOf(matId(seed43.json, 'species_model')));
    expect(order.indexOf(matId(seed43.json, 'species_model'))).toBeLessThan(order.indexOf(matId(ecommerce.json, 'products')));

    const runs = await allRuns(server.uri, experimentId);
    const catalog = readCatalogData(dir);
    expect(catalog.materializations).toHaveLength(recorded(first_) + pending);
    expect(runs).toHaveLength(catalog.materializations.length);
    for (const m of catalog.materializations) byMat(runs, m.id);

    const seed43Synth = byMat(runs, matId(seed43.json, 'penguins_synth'));
    expect(seed43Synth.params.seed).toBe('43');
    const cachedSynth = byMat(runs, matId(cached.json, 'penguins_synth'));
    const firstSynth = byMat(runs, first.penguins_synth);
    expect(cachedSynth.tags).toMatchObject({ 'synthgraph.outcome': 'cached', 'synthgraph.reused_from': first.penguins_synth, 'synthgraph.reused_run_id': firstSynth.run_id });
    expect(cachedSynth.params.seed).toBe('42');
    expect(cachedSynth.metrics).toEqual({});
    expect(cachedSynth.status).toBe('FINISHED');

    const report = byMat(runs, matId(ecommerce.json, 'products_report'));
    expect(ctx(report, 'products')).toEqual(['evaluation']);
    expect(report.metrics['rules.score']).toBe(1);
    expect(report.metrics['rules.passed']).toBe(1);
    const reportFiles = await runMlflowPy(server.uri, `result = [f.path for f in client.list_artifacts(${py(report.run_id)}, "validation")]`);
    expect(reportFiles.sort()).toEqual(['validation/report.json', 'validation/report.md']);
    const categoryModel = byMat(runs, matId(ecommerce.json, 'category_model'));
    expect(ctx(categoryModel, 'products')).toEqual(['training']);
    expect(categoryModel.tags['synthgraph.upstream.products_report']).toBe(report.run_id);

    // The API key is nowhere in MLflow: not in params, tags, metric names, nor anywhere in the server's store.
    const tickets = byMat(runs, matId(ecommerce.json, 'tickets'));
    expect(tickets.params['generator.note']).toBe('key=***');
    expect(Object.keys(tickets.params).some((k) => /api_key/.test(k))).toBe(false);
    for (const run of runs) expect(JSON.stringify(run)).not.toContain(FAKE_KEY);
    for (const file of filesUnder(server.dir)) expect(readFileSync(file).includes(FAKE_KEY), file).toBe(false);

    // A second push has nothing to do and creates nothing.
    const again = synthJson<PushJson>(dir, ['lineage-push'], env);
    expect(again.json.delivered).toHaveLength(0);
    expect(await allRuns(server.uri, experimentId)).toHaveLength(runs.length);
    total = runs.length;
  });

  it('never sends a changed value for a param a run already has', async () => {
    // The same materialization re-delivered with another seed (e.g. an event edited or replayed by hand).
    const saved = JSON.parse(readProjectFile(dir, 'saved-event.json'));
    saved.materialization.seed = 44;
    mkdirSync(path.join(dir, '.synth', 'outbox'), { recursive: true });
    writeFileSync(path.join(dir, '.synth', 'outbox', '999999999999999-000001-1-replay.json'), JSON.stringify(saved));
    const push = synthJson<PushJson>(dir, ['lineage-push'], env);
    expect(push.code).toBe(0);
    expect(push.json.rejected).toEqual([]);
    expect(push.json.delivered).toHaveLength(1);
    expect(push.json.delivered[0]).toMatchObject({ created: false, param_conflicts: ['seed'] });
    const runs = await allRuns(server.uri, experimentId);
    expect(runs).toHaveLength(total);
    expect(byMat(runs, saved.materialization.id).params.seed).toBe('43');
  });

  it('leaves events pending when MLflow answers 503 or never answers, without failing the materialization', async () => {
    const busy = createHttpServer((_req, res) => {
      res.writeHead(503, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error_code: 'TEMPORARILY_UNAVAILABLE', message: 'database is locked' }));
    });
    const sockets: Socket[] = [];
    const silent = createNetServer((socket) => void sockets.push(socket));
    const listen = (srv: { listen: (port: number, host: string, cb: () => void) => void; address: () => unknown }) =>
      new Promise<number>((resolve) => srv.listen(0, '127.0.0.1', () => resolve((srv.address() as { port: number }).port)));
    const busyPort = await listen(busy);
    const silentPort = await listen(silent);
    const project = makeProject({
      'src/assets/index.ts': "import { asset } from 'synthgraph';\nexport const one = asset({ name: 'one', codeVersion: '1', materialize: () => ({ n: 1 }) });\n",
      'synth.config.json': JSON.stringify({ mlflow: { deliveryTimeoutMs: 3000 } }),
    });
    try {
      const r1 = synthJson<MaterializeJson>(project, ['materialize'], { MLFLOW_TRACKING_URI: `http://127.0.0.1:${busyPort}` });
      expect(r1.code).toBe(0);
      expect(r1.json.lineage).toMatchObject({ delivered: 0, pending: 1, failed: 0 });
      // Normally the 503 itself; on a very loaded machine the retries can outlast the budget first.
      expect(r1.json.lineage!.stopped).toMatch(/TEMPORARILY_UNAVAILABLE|time budget/);
      const r2 = synthJson<MaterializeJson>(project, ['materialize', '--force'], { MLFLOW_TRACKING_URI: `http://127.0.0.1:${silentPort}` });
      expect(r2.code).toBe(0);
      expect(r2.json.lineage).toMatchObject({ delivered: 0, pending: 2, failed: 0 });
      expect(r2.json.lineage!.stopped).toMatch(/time budget/);
      const push = synth(project, ['lineage-push', '--timeout', '1500'], { MLFLOW_TRACKING_URI: `http://127.0.0.1:${busyPort}` });
      expect(push.code).toBe(1);
      expect(push.stdout).toContain('0 delivered, 2 pending');
    } finally {
      for (const s of sockets) s.destroy();
      busy.close();
      silent.close();
      removeProject(project);
    }
  });

  it('rejects a bad synth.config.json as a usage error naming the file', () => {
    const bad = makeProject({ 'synth.config.json': '{ "mlflow": { "trackingUri": 5 } }' }, { examples: true });
    try {
      const r = synth(bad, ['materialize', 'products'], {});
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('synth.config.json');
      expect(r.stderr).toContain('mlflow.trackingUri');
    } finally {
      removeProject(bad);
    }
    const off = makeProject({ 'synth.config.json': '{ "mlflow": { "enabled": false } }' });
    try {
      const r = synth(off, ['lineage-push'], { MLFLOW_TRACKING_URI: server.uri });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('Lineage is off');
    } finally {
      removeProject(off);
    }
  });
});
