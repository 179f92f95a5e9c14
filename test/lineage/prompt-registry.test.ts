/**
 * Prompt versions in MLflow's prompt registry, end to end: the real `synth` CLI materializes a
 * dataset from prompt v1, `synth tune` writes v2, the dataset is materialized again; a real MLflow
 * 3.x server then holds both versions of one prompt with their text and derivation, the dataset runs
 * link to them, and delivering the same events again creates nothing. Checked with MLflow's own
 * Python client (`mlflow.genai.load_prompt`).
 */
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMlflowServer, type MlflowServer } from '../support/mlflow-server.js';
import { runMlflowPy } from '../support/mlflow-py.js';
import { makeProject, readProjectFile, removeProject, synth, synthJson, writeProjectFile } from '../support/project.js';
import { DEFS, jsonl, liveOrders, SHOP_V1 } from '../tune/tune-fixture.js';

const py = JSON.stringify;
/** Nothing listens here: events stay in the outbox. */
const DOWN = 'http://127.0.0.1:9';

interface PushJson {
  delivered: { asset: string; run_id: string; created: boolean; prompt: { name: string; version: string } | null }[];
  pending: number;
  warnings: string[];
}
interface PromptVersionPy {
  version: string;
  template: string;
  tags: Record<string, string>;
  description: string;
}

function project(): string {
  return makeProject({
    'src/assets/index.ts': DEFS,
    'prompts/shop_v1.yaml': SHOP_V1,
    'data/live/orders.jsonl': jsonl(liveOrders()),
    'data/feedback/errors.jsonl': '',
    'synth.config.json': JSON.stringify({ mlflow: { experiment: 'prompts-test', deliveryTimeoutMs: 300_000 } }),
  });
}

/** Copies of the outbox's pending events (to deliver them a second time later). */
function snapshotOutbox(dir: string, to: string): string[] {
  const outbox = path.join(dir, '.synth', 'outbox');
  mkdirSync(to, { recursive: true });
  const names = readdirSync(outbox).filter((n) => n.endsWith('.json'));
  for (const n of names) copyFileSync(path.join(outbox, n), path.join(to, n));
  return names;
}

/** Every version of a prompt, as MLflow's prompt API returns them. */
function promptVersions(uri: string, name: string): Promise<PromptVersionPy[]> {
  return runMlflowPy(
    uri,
    `
mvs = client.search_model_versions(${py(`name = '${name}' and tags.\`mlflow.prompt.is_prompt\` = 'true'`)})
result = []
for v in sorted(mvs, key=lambda m: int(m.version)):
    p = mlflow.genai.load_prompt(f"prompts:/${name}/{v.version}")
    result.append({"version": str(p.version), "template": p.template, "tags": p.tags, "description": p.commit_message or ""})
`,
  );
}

describe('prompt versions in MLflow’s prompt registry', () => {
  let server: MlflowServer;
  let dir: string;

  beforeAll(async () => {
    server = await startMlflowServer();
    dir = project();
  }, 120_000);
  afterAll(async () => {
    await server?.destroy();
    if (dir) removeProject(dir);
  });

  it('registers v1 and v2 once each, links each dataset run to its version, and re-delivery creates nothing', { timeout: 400_000 }, async () => {
    const env = { MLFLOW_TRACKING_URI: server.uri };
    // v1, with MLflow out of reach: the events wait in the outbox, and are copied to be delivered twice.
    expect(synthJson(dir, ['materialize'], { MLFLOW_TRACKING_URI: DOWN }).code).toBe(0);
    const saved = path.join(dir, 'saved-outbox');
    expect(snapshotOutbox(dir, saved).length).toBeGreaterThanOrEqual(3);
    const first = synthJson<PushJson>(dir, ['lineage', 'push'], env);
    expect(first.code).toBe(0);
    const productsV1 = first.json.delivered.find((d) => d.asset === 'products')!;
    expect(productsV1.prompt).toEqual({ name: 'shop', version: '1' });
    // Only datasets have a prompt: the source and the validation link to none.
    expect(first.json.delivered.filter((d) => d.prompt).map((d) => d.asset)).toEqual(['products']);

    // v2 by synth tune, pointed at by --apply, materialized with MLflow up.
    expect(synthJson(dir, ['tune', 'shop_v1', '--from', 'live_drift', '--apply']).code).toBe(0);
    const v2Run = synthJson<{ lineage: { delivered: number; pending: number; warnings: string[] } }>(dir, ['materialize'], env);
    expect(v2Run.code).toBe(0);
    expect(v2Run.json.lineage).toMatchObject({ pending: 0, warnings: [] });

    const versions = await promptVersions(server.uri, 'shop');
    expect(versions.map((v) => v.version)).toEqual(['1', '2']);
    const [v1, v2] = versions;
    // The text is the whole prompt file, so MLflow's version compare shows what tune changed.
    expect(v1.template).toBe(SHOP_V1);
    expect(v2.template).toBe(readProjectFile(dir, 'prompts/shop_v2.yaml'));
    expect(v1.tags).toMatchObject({ 'synthgraph.prompt_id': 'shop_v1', 'synthgraph.prompt_file': 'prompts/shop_v1.yaml', 'synthgraph.rules': 'price > 0' });
    expect(v1.tags['synthgraph.derived_from']).toBeUndefined();
    expect(v2.tags).toMatchObject({ 'synthgraph.prompt_id': 'shop_v2', 'synthgraph.derived_from': 'shop_v1', 'synthgraph.derived_from_version': '1' });
    expect(v2.tags['synthgraph.rules'].split('\n')).toEqual(expect.arrayContaining(['price > 0', 'if channel == "store", category == "Home"']));
    expect(v2.description).toContain('shop_v2 (prompts/shop_v2.yaml), derived from shop_v1');
    expect(v2.description.split('\n').length).toBeGreaterThanOrEqual(5);

    // The prompt is listed in the experiment's Prompts tab, and each dataset run links to its version.
    const seen = await runMlflowPy<{ prompts: string[]; runs: { mat: string; prompt_id: string; linked: string | null; asset: string }[] }>(
      server.uri,
      `
exp = client.get_experiment_by_name("prompts-test")
prompts = [p.name for p in client.search_prompts(filter_string=f"experiment_id = '{exp.experiment_id}'")]
runs = [{"mat": r.data.tags.get("synthgraph.materialization_id"), "asset": r.data.tags.get("synthgraph.asset"), "prompt_id": r.data.params.get("prompt_id"),
         "linked": r.data.tags.get("mlflow.linkedPrompts")} for r in client.search_runs([exp.experiment_id], max_results=1000)]
result = {"prompts": prompts, "runs": runs}
`,
    );
    expect(seen.prompts).toEqual(['shop']);
    const productRuns = seen.runs.filter((r) => r.asset === 'products');
    expect(productRuns).toHaveLength(2);
    for (const r of productRuns) {
      expect(JSON.parse(r.linked!)).toEqual([{ name: 'shop', version: r.prompt_id === 'shop_v1' ? '1' : '2' }]);
    }
    const runCount = seen.runs.length;

    // The v1 events again (a re-delivery after a crash): the same runs, versions and links.
    for (const n of readdirSync(saved)) copyFileSync(path.join(saved, n), path.join(dir, '.synth', 'outbox', n));
    const again = synthJson<PushJson>(dir, ['lineage', 'push'], env);
    expect(again.code).toBe(0);
    expect(again.json.delivered.every((d) => !d.created)).toBe(true);
    expect(again.json.delivered.find((d) => d.asset === 'products')!.prompt).toEqual({ name: 'shop', version: '1' });
    expect((await promptVersions(server.uri, 'shop')).map((v) => v.version)).toEqual(['1', '2']);
    const after = await runMlflowPy<{ count: number; linked: string }>(
      server.uri,
      `
exp = client.get_experiment_by_name("prompts-test")
runs = client.search_runs([exp.experiment_id], max_results=1000)
result = {"count": len(runs), "linked": client.get_run(${py(productsV1.run_id)}).data.tags.get("mlflow.linkedPrompts")}
`,
    );
    expect(after.count).toBe(runCount);
    expect(JSON.parse(after.linked)).toEqual([{ name: 'shop', version: '1' }]);
  });

  it('a registered model that holds the prompt’s name is a lineage warning; the run is logged anyway', { timeout: 300_000 }, async () => {
    const env = { MLFLOW_TRACKING_URI: server.uri };
    writeProjectFile(dir, 'prompts/orders_v1.yaml', SHOP_V1.replace('shop_v1', 'orders_v1'));
    writeProjectFile(
      dir,
      'src/assets/index.ts',
      `${readProjectFile(dir, 'src/assets/index.ts')}export const orders = dataset({ name: 'orders', schema: Order, prompt: 'orders_v1', rows: 50, seed: 3 });\n`,
    );
    await runMlflowPy(server.uri, `client.create_registered_model("orders")`);
    const run = synth(dir, ['materialize', 'orders'], env);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('lineage: prompt orders_v1 not registered: MLflow has a registered model named "orders" that is not a prompt');
    const tags = await runMlflowPy<Record<string, string>>(
      server.uri,
      `
exp = client.get_experiment_by_name("prompts-test")
result = client.search_runs([exp.experiment_id], filter_string="tags.\`synthgraph.asset\` = 'orders'")[0].data.tags
`,
    );
    expect(tags['synthgraph.lineage_warning']).toContain('not a prompt');
    expect(tags['mlflow.linkedPrompts']).toBeUndefined();
  });
});

describe('a server that refuses prompt versions', () => {
  let server: MlflowServer;
  let dir: string;

  beforeAll(async () => {
    // An MLflow without a prompt registry rejects the placeholder source of a prompt version with a
    // 400 (INVALID_PARAMETER_VALUE); this server does the same through its source allow-list.
    server = await startMlflowServer({ env: { MLFLOW_CREATE_MODEL_VERSION_SOURCE_VALIDATION_REGEX: '^mlflow-artifacts:' } });
    dir = project();
  }, 120_000);
  afterAll(async () => {
    await server?.destroy();
    if (dir) removeProject(dir);
  });

  it('says so once as a lineage warning, logs every run, and leaves no empty prompt behind', { timeout: 300_000 }, async () => {
    const push = synthJson<PushJson>(dir, ['materialize', 'products'], { MLFLOW_TRACKING_URI: server.uri });
    expect(push.code).toBe(0);
    const lineage = (push.json as unknown as { lineage: { delivered: number; pending: number; warnings: string[] } }).lineage;
    expect(lineage).toMatchObject({ delivered: 1, pending: 0 });
    expect(lineage.warnings).toEqual([expect.stringContaining('prompt shop_v1 not registered: this MLflow server does not accept prompt versions')]);
    expect(lineage.warnings[0]).toContain("Invalid model version source: 'dummy-source'");
    const left = await runMlflowPy<{ prompts: number; runs: number }>(
      server.uri,
      `
exp = client.get_experiment_by_name("prompts-test")
result = {"prompts": len(client.search_prompts()), "runs": len(client.search_runs([exp.experiment_id]))}
`,
    );
    expect(left).toEqual({ prompts: 0, runs: 1 });
  });
});
