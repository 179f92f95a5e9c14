import { afterAll, describe, expect, inject, it } from 'vitest';
import { MlflowClient } from '../../src/lineage/mlflow/index.js';
import { startFakeImagesServer } from '../support/fake-images-server.js';
import { runMlflowPy } from '../support/mlflow-py.js';
import { makeProject, removeProject, synthAsync, synthJson } from '../support/project.js';
import { SECRET_KEY } from './images-kit.js';

const DEFS = `
import { images, source } from 'synthgraph';
export const products = source({ name: 'products', file: 'data/products.csv' });
export const pictures = images({ name: 'pictures', deps: { products }, prompt: 'pics_v1', rowKey: 'name', size: '48x48' });
`;
const CSV = ['name,category', ...Array.from({ length: 20 }, (_, i) => `Item ${i},${['Home', 'Toys'][i % 2]}`)].join('\n') + '\n';

describe('images in MLflow (real server)', () => {
  const dir = makeProject({
    'src/assets/index.ts': DEFS,
    'data/products.csv': CSV,
    'prompts/pics_v1.yaml': 'prompt_id: pics_v1\ndomain: test\ntemplate: A photo of {{name}}\n',
    'package.json': JSON.stringify({ name: 'images-mlflow-test', private: true, type: 'module' }),
  });
  afterAll(() => removeProject(dir));

  it('a run of an images asset has a contact sheet, the first images and the prompts as artifacts, and the model as a param', async () => {
    const uri = inject('mlflowUri');
    const run = synthJson<{ ok: boolean; lineage?: { delivered: number } }>(dir, ['materialize'], { MLFLOW_TRACKING_URI: uri });
    expect(run.json.ok).toBe(true);
    const mlflow = new MlflowClient({ trackingUri: uri });
    const experiment = await mlflow.getExperimentByName('images-mlflow-test');
    const runs = (await mlflow.searchRuns({ experimentIds: [experiment!.experiment_id], filter: "tags.`synthgraph.asset` = 'pictures'" })).items;
    expect(runs).toHaveLength(1);
    const info = runs[0];
    const params = Object.fromEntries((info.data.params ?? []).map((p) => [p.key, p.value]));
    expect(params).toMatchObject({ kind: 'images', provider: 'local' });
    const listed = await mlflow.listArtifacts(info.info.run_id, 'images');
    const names = listed.files.map((f) => f.path).sort();
    expect(names).toContain('images/contact_sheet.png');
    expect(names).toContain('images/prompts.jsonl');
    expect(names.filter((n) => /images\/\d+_0\.png$/.test(n))).toHaveLength(16);
    const sheet = listed.files.find((f) => f.path === 'images/contact_sheet.png')!;
    expect(Number(sheet.file_size)).toBeGreaterThan(1000);
  });

  it('an OpenAI images run tags the models served and a summary of the revised prompts, with each distinct revised prompt in an artifact (read back with MLflow Python)', async () => {
    const uri = inject('mlflowUri');
    const server = await startFakeImagesServer();
    const project = makeProject({
      'src/assets/index.ts': `
import { images, source } from 'synthgraph';
export const products = source({ name: 'products', file: 'data/products.csv' });
export const photos = images({
  name: 'photos', deps: { products }, prompt: 'pics_v1', rowKey: 'name',
  generator: { provider: 'openai', model: 'dall-e-3', baseURL: '${server.url}', concurrency: 2 },
});
`,
      // Two rows share a name: their prompts, hence their revised prompts, are the same.
      'data/products.csv': 'name,category\nLamp,Home\nKite,Toys\nLamp,Home\n',
      'prompts/pics_v1.yaml': 'prompt_id: pics_v1\ndomain: test\ntemplate: A photo of {{name}}\n',
      'package.json': JSON.stringify({ name: 'images-mlflow-openai-test', private: true, type: 'module' }),
    });
    try {
      const run = await synthAsync(project, ['materialize', '--json'], { MLFLOW_TRACKING_URI: uri, OPENAI_API_KEY: SECRET_KEY }).done;
      expect(run.code, run.stderr).toBe(0);
      expect(server.generations).toBe(3);
      const found = await runMlflowPy<{ tags: Record<string, string>; params: Record<string, string>; revised: string; files: string[] }>(
        uri,
        `
import json, os, tempfile
exp = client.get_experiment_by_name('images-mlflow-openai-test')
[r] = client.search_runs([exp.experiment_id], "tags.\`synthgraph.asset\` = 'photos'")
d = tempfile.mkdtemp()
path = client.download_artifacts(r.info.run_id, 'images/revised_prompts.jsonl', d)
result = {'tags': r.data.tags, 'params': r.data.params, 'revised': open(path).read(), 'files': [f.path for f in client.list_artifacts(r.info.run_id, 'images')]}
`,
      );
      expect(found.params).toMatchObject({ kind: 'images', provider: 'openai', model: 'dall-e-3' });
      expect(found.params['generator.version']).toMatch(/openai-images/);
      expect(found.tags['synthgraph.resolved_model']).toBe('dall-e-3');
      expect(found.tags['synthgraph.revised_prompts']).toBe(
        '3 of 3 prompts revised by the service, 2 distinct (images/revised_prompts.jsonl); first: "A detailed photo: A photo of Lamp"',
      );
      const revised = found.revised
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(revised).toEqual([
        { revised_prompt: 'A detailed photo: A photo of Lamp', images: 2, ids: ['0_0', '2_0'], prompt: 'A photo of Lamp' },
        { revised_prompt: 'A detailed photo: A photo of Kite', images: 1, ids: ['1_0'], prompt: 'A photo of Kite' },
      ]);
      expect(found.files).toEqual(expect.arrayContaining(['images/prompts.jsonl', 'images/revised_prompts.jsonl', 'images/contact_sheet.png']));
      expect(JSON.stringify(found)).not.toContain(SECRET_KEY);
    } finally {
      await server.close();
      removeProject(project);
    }
  });
});
