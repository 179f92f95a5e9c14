import { afterAll, describe, expect, inject, it } from 'vitest';
import { MlflowClient } from '../../src/lineage/mlflow/index.js';
import { makeProject, removeProject, synthJson } from '../support/project.js';

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
});
