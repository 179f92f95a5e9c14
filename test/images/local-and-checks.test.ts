import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CheckContext, Row } from '../../src/engine/index.js';
import { ObjectStore } from '../../src/engine/store.js';
import { imagesCheck } from '../../src/images/images-check.js';
import { decodePng, encodePng } from '../../src/images/png-codec.js';
import { contactSheet } from '../../src/images/contact-sheet.js';
import { decodeImage } from '../../src/images/image-decode.js';
import { startFakeImagesServer } from '../support/fake-images-server.js';
import { REPO } from '../support/project.js';
import { imagesRequest, makeImages, productRows, removeDir, tempDir } from './images-kit.js';

function checkContext(stateDir: string, rows: Row[], inputs: Record<string, unknown> = {}): CheckContext {
  const store = ObjectStore.of(stateDir);
  return { asset: 'images_report', rows, rules: [], inputs: { images: rows, ...inputs }, seed: 42, signal: new AbortController().signal, readObject: (h) => store.get(h) };
}

describe('offline images (provider local)', () => {
  let dirs: string[] = [];
  beforeEach(() => {
    dirs = [tempDir(), tempDir()];
  });
  afterEach(() => dirs.forEach(removeDir));

  it('are byte-identical PNGs in two folders made by two processes', () => {
    // Two fresh node processes (no shared module state), each writing into its own folder.
    const script = join(dirs[0], 'paint.mts');
    writeFileSync(
      script,
      `import { makeImages } from ${JSON.stringify(join(REPO, 'src/images/make-images.ts'))};
import { parsePromptFile } from ${JSON.stringify(join(REPO, 'src/rules/index.ts'))};
const prompt = parsePromptFile('prompts/p.yaml', 'prompt_id: p\\ndomain: d\\ntemplate: A photo of {{name}}\\n');
const rows = ['Electronics', 'Home', 'Books', 'Toys', 'Sports'].flatMap((category, i) => [{ name: 'Lamp ' + i, category }, { name: 'Desk ' + i, category }]);
const made = await makeImages({ asset: 'a', settings: { prompt: 'p', perRow: 1, count: 0, seed: 7, size: '96x64' }, rows, promptFile: prompt, seed: 7, stateDir: process.argv[2], signal: new AbortController().signal, progress() {}, warn() {} });
console.log(JSON.stringify(made.manifest.map((m) => m.sha256)));
`,
    );
    const run = (dir: string) => {
      const r = spawnSync(process.execPath, ['--import', 'tsx', script, dir], { cwd: REPO, encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      return JSON.parse(r.stdout.trim().split('\n').pop()!) as string[];
    };
    const a = run(dirs[0]);
    const b = run(dirs[1]);
    expect(a).toHaveLength(10);
    expect(new Set(a).size).toBe(10);
    expect(b).toEqual(a);
    const bitmap = decodePng(ObjectStore.of(dirs[1]).get(a[0]));
    expect([bitmap.width, bitmap.height]).toEqual([96, 64]);
  });

  it('change with the seed and the row, and pass checks.images() with per-category counts', async () => {
    const rows = productRows(25);
    const a = await makeImages(imagesRequest(dirs[0], rows, { provider: 'local' }));
    const b = await makeImages(imagesRequest(dirs[0], rows, { provider: 'local' }, { seed: 43 }));
    expect(a.manifest.every((m, i) => m.sha256 !== b.manifest[i].sha256)).toBe(true);
    expect(a.manifest[0]).toMatchObject({ provider: 'local', model: 'label-card-1', width: 64, height: 64, format: 'png', status: 'ok' });
    const check = imagesCheck({ categories: { rows: 'products', column: 'category', min: 5 } });
    const outcome = await check.run(checkContext(dirs[0], a.manifest, { products: rows }));
    expect(outcome.summary).toContain('25 images, 0 with problems');
    expect(outcome.score).toBe(1);
    expect(outcome.passed).toBeUndefined();
    expect(outcome.details.categories).toEqual({ Electronics: 5, Home: 5, Books: 5, Toys: 5, Sports: 5 });
  });
});

describe('checks.images()', () => {
  let stateDir: string;
  beforeEach(() => {
    stateDir = tempDir();
  });
  afterEach(() => removeDir(stateDir));

  it('catches a blank image, a near-duplicate, a wrong size and a corrupt file', async () => {
    const made = await makeImages(imagesRequest(stateDir, productRows(6), { provider: 'local' }));
    const store = ObjectStore.of(stateDir);
    const manifest = made.manifest.map((m) => ({ ...m }));
    // row 1: a blank (single-colour) image of the declared size
    const blank = store.put(encodePng({ width: 64, height: 64, channels: 3, data: new Uint8Array(64 * 64 * 3).fill(200) }));
    manifest[1] = { ...manifest[1], sha256: blank };
    // row 2: the picture of row 0 with one pixel changed (a near-duplicate, not a byte copy)
    const near = decodePng(store.get(manifest[0].sha256!));
    near.data[0] ^= 0xff;
    manifest[2] = { ...manifest[2], sha256: store.put(encodePng(near)) };
    // row 3: a smaller image than declared; row 4: bytes that are no image
    manifest[3] = { ...manifest[3], sha256: store.put(encodePng({ width: 32, height: 64, channels: 3, data: decodePng(store.get(manifest[3].sha256!)).data.slice(0, 32 * 64 * 3) })) };
    manifest[4] = { ...manifest[4], sha256: store.put('not a png at all') };
    const outcome = await imagesCheck({ blocking: true }).run(checkContext(stateDir, manifest));
    const problems = outcome.details.problems as Record<string, { count: number; examples: string[] }>;
    expect(problems.blank).toEqual({ count: 1, examples: ['1_0'] });
    expect(problems.near_duplicate.examples).toEqual(['2_0']);
    expect(outcome.details.near_duplicate_pairs).toEqual([['0_0', '2_0', expect.any(Number)]]);
    expect(problems.wrong_size.examples).toEqual(['3_0']);
    expect(problems.wrong_format.examples).toEqual(['4_0']);
    expect(outcome.score).toBeCloseTo(2 / 6);
    expect(outcome.summary).toContain('4 with problems');
  });

  it.each(['jpeg', 'webp'] as const)(
    'decodes %s images from gpt-image-1 (output_format): they pass, and a blank one, a near-duplicate and a truncated file are caught',
    async (format) => {
      const server = await startFakeImagesServer({ script: (r) => (String(r.body?.prompt).includes('Product 1,') ? { blank: true } : undefined) });
      try {
        const gen = { provider: 'openai', model: 'gpt-image-1', baseURL: server.url, outputFormat: format };
        const made = await makeImages(imagesRequest(stateDir, productRows(5), gen));
        expect(server.requests[0].body).toMatchObject({ model: 'gpt-image-1', output_format: format });
        expect(made.manifest.map((m) => [m.format, m.width, m.height])).toEqual(Array.from({ length: 5 }, () => [format, 32, 32]));
        const store = ObjectStore.of(stateDir);
        const manifest = made.manifest.map((m) => ({ ...m }));
        const clean = [0, 2, 3, 4].map((i) => manifest[i]);
        const passing = await imagesCheck({ blocking: true, size: '32x32', format }).run(checkContext(stateDir, clean));
        expect(passing.summary).toBe('4 images, 0 with problems, 0 refused');
        // the MLflow contact sheet shows them too (a PNG of 5 thumbnails in one row)
        const sheet = await contactSheet(made.manifest, (h) => store.get(h), { thumb: 16 });
        expect(sheet && decodePng(sheet).height).toBe(16 + 2 * 4);
        // row 3: the picture of row 0 with a few pixels changed, re-encoded (a near-duplicate, not a byte copy); row 4: the file cut short
        const { default: sharp } = await import('sharp');
        const near = await decodeImage(store.get(manifest[0].sha256!));
        for (let i = 0; i < 12; i++) near.data[i] ^= 0x40;
        const raw = sharp(Buffer.from(near.data), { raw: { width: near.width, height: near.height, channels: near.channels } });
        manifest[3] = { ...manifest[3], sha256: store.put(await (format === 'jpeg' ? raw.jpeg({ quality: 90 }) : raw.webp({ quality: 90 })).toBuffer()) };
        const whole = store.get(manifest[4].sha256!);
        manifest[4] = { ...manifest[4], sha256: store.put(whole.subarray(0, Math.floor(whole.length * 0.6))) };
        const outcome = await imagesCheck({ blocking: true, size: '32x32', format }).run(checkContext(stateDir, manifest));
        const problems = outcome.details.problems as Record<string, { count: number; examples: string[] }>;
        expect(problems.blank.examples).toEqual(['1_0']);
        expect(outcome.details.near_duplicate_pairs).toEqual([['0_0', '3_0', expect.any(Number)]]);
        expect(problems.undecodable.examples).toEqual(['4_0']);
        expect(outcome.score).toBeCloseTo(2 / 5);
      } finally {
        await server.close();
      }
    },
  );

  it('finds near-duplicates against another images asset, and fails on the refusal rate', async () => {
    const ours = await makeImages(imagesRequest(stateDir, productRows(4), { provider: 'local' }));
    const theirs = await makeImages(imagesRequest(stateDir, productRows(2), { provider: 'local' }));
    const outcome = await imagesCheck({ against: 'banners' }).run(checkContext(stateDir, ours.manifest, { banners: theirs.manifest }));
    expect((outcome.details.against_duplicate_pairs as unknown[]).length).toBe(2);
    const refusedManifest = ours.manifest.map((m, i) => (i < 2 ? { ...m, status: 'refused' as const, sha256: null, path: null, refusal: 'no' } : m));
    const refused = await imagesCheck({ maxRefusalRate: 0.25 }).run(checkContext(stateDir, refusedManifest));
    expect(refused.passed).toBe(false);
    expect(refused.summary).toContain('refusal rate 50.0% > 25.0%');
  });

  it('local images of one category are not near-duplicates of each other at the default distance', async () => {
    const made = await makeImages(imagesRequest(stateDir, productRows(200), { provider: 'local' }));
    const outcome = await imagesCheck().run(checkContext(stateDir, made.manifest));
    expect(outcome.details.near_duplicate_pairs).toEqual([]);
  });
});
