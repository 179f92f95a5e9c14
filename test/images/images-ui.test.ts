import { afterAll, describe, expect, it } from 'vitest';
import { startUiServer, type UiServer } from '../../src/ui/ui-server.js';
import { decodePng } from '../../src/images/png-codec.js';
import '../../src/builtin-plugins.js';
import { makeProject, removeProject, synth } from '../support/project.js';

const DEFS = `
import { asset, images, source } from 'synthgraph';
export const products = source({ name: 'products', file: 'data/products.csv' });
export const pictures = images({ name: 'pictures', deps: { products }, prompt: 'pics_v1', rowKey: 'name', size: '40x40' });
export const other = asset({ name: 'other', materialize: () => [{ a: 1 }] });
`;
const CSV = ['name,category', ...Array.from({ length: 30 }, (_, i) => `Item ${i},${['Home', 'Toys'][i % 2]}`)].join('\n') + '\n';

describe('synth ui: thumbnails of an images asset', () => {
  const dir = makeProject({ 'src/assets/index.ts': DEFS, 'data/products.csv': CSV, 'prompts/pics_v1.yaml': 'prompt_id: pics_v1\ndomain: test\ntemplate: A photo of {{name}}\n' });
  let ui: UiServer | undefined;
  afterAll(async () => {
    await ui?.close();
    removeProject(dir);
  });

  it("lists the first images in the asset's panel data and serves exactly those, as images", async () => {
    expect(synth(dir, ['materialize']).code).toBe(0);
    ui = await startUiServer({ root: dir, port: 0 });
    const data = (await (await fetch(new URL('api/asset/pictures', ui.url))).json()) as { images: Array<{ id: string; row_key: string; url: string }> };
    expect(data.images).toHaveLength(24);
    expect(data.images[3]).toMatchObject({ id: '3_0', row_key: 'Item 3', url: '/api/image/pictures/3_0' });
    const res = await fetch(new URL(data.images[3].url, ui.url));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const bitmap = decodePng(new Uint8Array(await res.arrayBuffer()));
    expect([bitmap.width, bitmap.height]).toEqual([40, 40]);
    // Only images a manifest lists: not other assets' objects, not unknown ids, not paths.
    const other = (await (await fetch(new URL('api/asset/other', ui.url))).json()) as { images: unknown; latest: { data_hash: string } };
    expect(other.images).toBeNull();
    for (const bad of ['/api/image/other/0_0', '/api/image/pictures/99_0', `/api/image/pictures/${other.latest.data_hash}`, '/api/image/pictures/..%2F..%2Fcatalog.json']) {
      expect((await fetch(new URL(bad, ui.url))).status, bad).toBe(404);
    }
  });
});
