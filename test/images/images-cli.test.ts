import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { unzipSync } from 'fflate';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeImagesServer, type FakeImagesServer } from '../support/fake-images-server.js';
import { makeProject, removeProject, synthAsync, writeProjectFile, type CliResult } from '../support/project.js';
import type { ImagesSummary } from '../../src/inspect/index.js';
import { anyFileContains, SECRET_KEY } from './images-kit.js';

const PROMPT = 'prompt_id: product_photo_v1\ndomain: ecommerce\ntemplate: A studio photo of {{name}}, a {{category}} product\n';

function productsCsv(n: number, rename?: Record<number, string>): string {
  const categories = ['Electronics', 'Home', 'Books', 'Toys'];
  return ['name,category,price', ...Array.from({ length: n }, (_, i) => `${rename?.[i] ?? `Product ${i}`},${categories[i % 4]},${10 + i}`)].join('\n') + '\n';
}

function defs(baseURL: string, generator = ''): string {
  return `
import { checks, images, source, validation } from 'synthgraph';
export const products = source({ name: 'products', file: 'data/products.csv' });
export const photos = images({
  name: 'photos', deps: { products }, prompt: 'product_photo_v1', rowKey: 'name',
  generator: { provider: 'openai', model: 'dall-e-3', baseURL: '${baseURL}', concurrency: 2${generator} },
});
export const photosReport = validation({ name: 'photos_report', deps: { photos, products }, target: 'photos', checks: [checks.images({ blocking: true, size: '32x32', categories: { rows: 'products', column: 'category' } })] });
`;
}

/** The CLI, without blocking this process (the fake server answers from it). */
function run(dir: string, args: string[]): Promise<CliResult> {
  return synthAsync(dir, args, { OPENAI_API_KEY: SECRET_KEY }).done;
}

function cacheEntries(dir: string): string[] {
  const root = path.join(dir, '.synth', 'image-cache');
  if (!existsSync(root)) return [];
  return readdirSync(root).flatMap((sub) =>
    readdirSync(path.join(root, sub))
      .filter((f) => f.endsWith('.json'))
      .map((f) => path.join(root, sub, f)),
  );
}

function estimateOf(dry: CliResult, asset: string): Record<string, number> | null | undefined {
  expect(dry.code, dry.stderr).toBe(0);
  return (JSON.parse(dry.stdout) as { assets: Array<{ asset: string; estimate: Record<string, number> | null }> }).assets.find((a) => a.asset === asset)?.estimate;
}

describe('images assets through the synth CLI (real processes, real SDK, local images server)', () => {
  let server: FakeImagesServer;
  let dir: string;
  afterEach(async () => {
    await server?.close();
    if (dir) removeProject(dir);
  });

  describe('with a fast server', () => {
    beforeEach(async () => {
      server = await startFakeImagesServer();
      dir = makeProject({ 'src/assets/index.ts': defs(server.url), 'data/products.csv': productsCsv(8), 'prompts/product_photo_v1.yaml': PROMPT });
    });

    it('N images for N rows, checked; a forced re-run sends 0 requests; a changed row sends exactly its request; gc keeps the images; the key is nowhere on disk', async () => {
      const dry = await run(dir, ['materialize', '--dry-run', '--json']);
      expect(dry.code, dry.stderr).toBe(0);
      expect(server.generations).toBe(0);
      // The upstream is a source: its rows are read now, so the estimate is exact (not the upper bound of a dataset's `rows`).
      expect(estimateOf(dry, 'photos')).toEqual({ images: 8, requests: 8, cached_requests: 0, cost_usd: 0.32, upper_bound: 0 });

      const first = await run(dir, ['materialize', '--json']);
      expect(first.code, first.stderr).toBe(0);
      expect(server.generations).toBe(8);
      const show = JSON.parse((await run(dir, ['show', 'photos', '--json'])).stdout) as { rows: number; metadata: Record<string, unknown> };
      expect(show.rows).toBe(8);
      expect(show.metadata).toMatchObject({ images: 8, refused: 0, cost_usd: 0.32, revised_prompts: 8, models_served: ['dall-e-3'] });
      const report = JSON.parse((await run(dir, ['show', 'photos_report', '--json'])).stdout) as { checks: Array<{ name: string; passed: boolean }> };
      expect(report.checks).toEqual([expect.objectContaining({ name: 'images', passed: true })]);

      server.reset();
      const forced = await run(dir, ['materialize', 'photos', '--force', '--json']);
      expect(forced.code, forced.stderr).toBe(0);
      expect(server.generations).toBe(0);

      writeProjectFile(dir, 'data/products.csv', productsCsv(8, { 5: 'Renamed lamp' }));
      // Cached images are left out of the estimate: only the renamed row's image would be paid for.
      expect(estimateOf(await run(dir, ['materialize', '--dry-run', '--json']), 'photos')).toEqual({ images: 8, requests: 1, cached_requests: 7, cost_usd: 0.04, upper_bound: 0 });
      expect(server.generations).toBe(0);
      server.reset();
      const changed = await run(dir, ['materialize', '--json']);
      expect(changed.code, changed.stderr).toBe(0);
      expect(server.generations).toBe(1);
      expect(server.requests[0].body!.prompt).toContain('Renamed lamp');
      const diff = JSON.parse((await run(dir, ['history', 'photos', '--diff', '--json'])).stdout) as { image_rows: Record<string, unknown> };
      expect(diff.image_rows).toEqual({ changed: ['Renamed lamp'], added: [], removed: [], unchanged: 7 });

      const gc = await run(dir, ['gc', '--json']);
      expect(gc.code, gc.stderr).toBe(0);
      const verify = await run(dir, ['verify', '--json']);
      expect(verify.code, verify.stdout + verify.stderr).toBe(0);
      expect(anyFileContains(path.join(dir, '.synth'), SECRET_KEY)).toBe(false);
    });

    it('exports the Hugging Face imagefolder layout with metadata.jsonl, and a zip of it', async () => {
      expect((await run(dir, ['materialize', '+photos'])).code).toBe(0);
      const out = path.join(dir, 'export', 'photos');
      const folder = await run(dir, ['export', 'photos', '--format', 'imagefolder', '--out', out, '--json']);
      expect(folder.code, folder.stderr).toBe(0);
      expect(JSON.parse(folder.stdout)).toMatchObject({ asset: 'photos', images: 8, file: out });
      const lines = readFileSync(path.join(out, 'train', 'metadata.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(lines).toHaveLength(8);
      expect(lines[2]).toMatchObject({ file_name: '2_0.png', row_key: 'Product 2', category: 'Books', price: 12, model: 'dall-e-3' });
      expect(
        readFileSync(path.join(out, 'train', '2_0.png'))
          .subarray(1, 4)
          .toString(),
      ).toBe('PNG');
      // an existing folder is never written into
      const again = await run(dir, ['export', 'photos', '--format', 'imagefolder', '--out', out]);
      expect(again.code).toBe(2);
      expect(again.stderr).toContain('is a directory');

      const zip = path.join(dir, 'export', 'photos.zip');
      const zipped = await run(dir, ['export', 'photos', '--format', 'zip', '--out', zip]);
      expect(zipped.code, zipped.stderr).toBe(0);
      const entries = unzipSync(readFileSync(zip));
      expect(Object.keys(entries).sort()).toEqual([...Array.from({ length: 8 }, (_, i) => `train/${i}_0.png`), 'train/metadata.jsonl'].sort());
      expect(Buffer.from(entries['train/2_0.png']).equals(readFileSync(path.join(out, 'train', '2_0.png')))).toBe(true);
    });
  });

  it('synth show summarises an images asset: counts, sizes, formats, bytes, models, refusals and paths (text and --json)', async () => {
    server = await startFakeImagesServer({ refuseContaining: 'Product 3,' });
    dir = makeProject({ 'src/assets/index.ts': defs(server.url, ', maxRefusalRate: 0.5'), 'data/products.csv': productsCsv(6), 'prompts/product_photo_v1.yaml': PROMPT });
    const made = await run(dir, ['materialize', '+photos', '--json']);
    expect(made.code, made.stderr).toBe(0);
    const shown = await run(dir, ['show', 'photos', '--json']);
    expect(shown.code, shown.stderr).toBe(0);
    const images = (JSON.parse(shown.stdout) as { images: ImagesSummary }).images;
    expect(images).toMatchObject({
      rows: 6,
      images: 5,
      refused: 1,
      sizes: [{ value: '32x32', count: 5 }],
      formats: [{ value: 'png', count: 5 }],
      models: [{ value: 'dall-e-3', count: 5 }],
    });
    expect(images.refusals).toEqual([{ row_key: 'Product 3', prompt: expect.stringContaining('Product 3,') as string, reason: expect.stringMatching(/safety|policy/i) as string }]);
    expect(images.paths.map((p) => p.row_key)).toEqual(['Product 0', 'Product 1', 'Product 2', 'Product 4', 'Product 5']);
    let total = 0;
    for (const p of images.paths) {
      expect(p.path.startsWith(path.join('.synth', 'objects'))).toBe(true);
      total += readFileSync(path.join(dir, p.path)).length;
    }
    expect(images.total_bytes).toBe(total);
    const text = await run(dir, ['show', 'photos']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain('5 images, 1 refused');
    expect(text.stdout).toContain('32x32 (5)');
    expect(text.stdout).toMatch(/refused +row Product 3:/);
    expect(text.stdout).toContain(images.paths[0].path);
  });

  it('--dry-run of images drawn from a dataset: the declared rows as an upper bound before it ran, then exact from its stored rows', async () => {
    server = await startFakeImagesServer();
    dir = makeProject({
      'src/assets/index.ts': `
import { z } from 'zod';
import { dataset, images } from 'synthgraph';
const Product = z.object({ name: z.string(), category: z.enum(['Home', 'Toys']) });
export const products = dataset({ name: 'products', schema: Product, prompt: 'shop_v1', rows: 6 });
export const photos = images({
  name: 'photos', deps: { products }, prompt: 'product_photo_v1',
  generator: { provider: 'openai', model: 'dall-e-3', baseURL: '${server.url}', concurrency: 2 },
});
`,
      'prompts/shop_v1.yaml': 'prompt_id: shop_v1\ndomain: ecommerce\ntemplate: Products of a shop\n',
      'prompts/product_photo_v1.yaml': PROMPT,
    });
    expect(estimateOf(await run(dir, ['materialize', '--dry-run', '--json']), 'photos')).toEqual({ images: 6, requests: 6, cached_requests: 0, cost_usd: 0.24, upper_bound: 1 });
    const made = await run(dir, ['materialize', '--json']);
    expect(made.code, made.stderr).toBe(0);
    expect(server.generations).toBe(6);
    expect(estimateOf(await run(dir, ['materialize', 'photos', '--force', '--dry-run', '--json']), 'photos')).toEqual({
      images: 6,
      requests: 0,
      cached_requests: 6,
      cost_usd: 0,
      upper_bound: 0,
    });
  });

  it('--max-cost stops spending, and a re-run with more budget pays only for the missing images', async () => {
    server = await startFakeImagesServer();
    dir = makeProject({ 'src/assets/index.ts': defs(server.url, ', concurrency: 1'), 'data/products.csv': productsCsv(6), 'prompts/product_photo_v1.yaml': PROMPT });
    const stopped = await run(dir, ['materialize', '+photos', '--max-cost', '0.1']);
    expect(stopped.code).toBe(1);
    expect(stopped.stdout + stopped.stderr).toContain('cost limit');
    expect(server.billed).toBe(2);
    server.reset();
    const resumed = await run(dir, ['materialize', '+photos', '--max-cost', '1']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(server.billed).toBe(4);
  });

  it('SIGKILL mid-run, then a re-run pays only for the images that were not cached', async () => {
    server = await startFakeImagesServer({ latencyMs: 150 });
    dir = makeProject({ 'src/assets/index.ts': defs(server.url), 'data/products.csv': productsCsv(16), 'prompts/product_photo_v1.yaml': PROMPT });
    const child = synthAsync(dir, ['materialize', '+photos'], { OPENAI_API_KEY: SECRET_KEY });
    await new Promise<void>((resolve, reject) => {
      void child.done.then((r) => reject(new Error(`synth ended before the kill: ${r.code}\n${r.stdout}\n${r.stderr}`)));
      const poll = setInterval(() => {
        if (cacheEntries(dir).length >= 5) {
          clearInterval(poll);
          resolve();
        }
      }, 20);
    });
    child.child.kill('SIGKILL');
    await child.done;
    const cached = cacheEntries(dir).map((f) => (JSON.parse(readFileSync(f, 'utf8')) as { request: { prompt: string } }).request.prompt);
    expect(cached.length).toBeGreaterThanOrEqual(5);
    expect(cached.length).toBeLessThan(16);
    server.reset();
    const rerun = await run(dir, ['materialize', '+photos', '--json']);
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(server.generations).toBe(16 - cached.length);
    const asked = server.requests.map((r) => String(r.body!.prompt));
    expect(asked.filter((p) => cached.includes(p))).toEqual([]);
  });
});
