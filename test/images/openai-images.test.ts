import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SynthError } from '../../src/engine/errors.js';
import { ObjectStore } from '../../src/engine/store.js';
import { hashJson, sha256 } from '../../src/engine/hashing.js';
import { planImageJobs } from '../../src/images/image-job.js';
import { startFakeImagesServer, type FakeImagesServer } from '../support/fake-images-server.js';
import { anyFileContains, imagesRequest, makeImages, productRows, removeDir, SECRET_KEY, tempDir } from './images-kit.js';

async function failure(promise: Promise<unknown>): Promise<SynthError> {
  try {
    await promise;
  } catch (err) {
    return err as SynthError;
  }
  throw new Error('expected the run to fail');
}

describe('images through the OpenAI Images API (real SDK, local server)', () => {
  let server: FakeImagesServer;
  let stateDir: string;
  beforeEach(() => {
    stateDir = tempDir();
  });
  afterEach(async () => {
    await server?.close();
    removeDir(stateDir);
  });

  it('makes N images for N rows (b64_json), records revised prompts, stores them as objects, and a re-run sends 0 requests', async () => {
    server = await startFakeImagesServer();
    const gen = { provider: 'openai', model: 'dall-e-3', baseURL: server.url, quality: 'standard', concurrency: 3 };
    const made = await makeImages(imagesRequest(stateDir, productRows(12), gen));
    expect(server.generations).toBe(12);
    expect(made.manifest).toHaveLength(12);
    const store = ObjectStore.of(stateDir);
    for (const [i, m] of made.manifest.entries()) {
      expect(m.status).toBe('ok');
      expect(m.row).toBe(i);
      expect(m.row_key).toBe(`Product ${i}`);
      expect(m.prompt).toContain(`Product ${i}`);
      expect(m.revised_prompt).toBe(`A detailed photo: ${m.prompt}`);
      expect(m.model).toBe('dall-e-3');
      expect(m.format).toBe('png');
      expect([m.width, m.height]).toEqual([32, 32]);
      expect(sha256(store.get(m.sha256!))).toBe(m.sha256);
      expect(readFileSync(join(stateDir, m.path!)).length).toBe(m.bytes);
    }
    // the request sent what was asked, and the key went only in the Authorization header
    const body = server.requests[0].body!;
    expect(body).toMatchObject({ model: 'dall-e-3', n: 1, size: '1024x1024', quality: 'standard', response_format: 'b64_json' });
    expect(server.requests[0].authorization).toBe(`Bearer ${SECRET_KEY}`);
    expect(made.metadata).toMatchObject({ images: 12, refused: 0, cost_usd: 0.48, cost_usd_this_run: 0.48, price_usd_per_image: 0.04 });

    server.reset();
    const again = await makeImages(imagesRequest(stateDir, productRows(12), gen));
    expect(server.generations).toBe(0);
    expect(again.manifest).toEqual(made.manifest);
    expect(again.metadata).toMatchObject({ cost_usd: 0.48, cost_usd_this_run: 0, requests: { sent: 0, cached: 12 } });
    expect(anyFileContains(stateDir, SECRET_KEY)).toBe(false);
  });

  it('a cached re-run reads no image bytes the store vouches for, yet a damaged image is caught: repaired from the cache, or asked for again', async () => {
    server = await startFakeImagesServer();
    const gen = { provider: 'openai', model: 'dall-e-3', baseURL: server.url, concurrency: 2 };
    const made = await makeImages(imagesRequest(stateDir, productRows(4), gen));
    const flip = (file: string) => {
      const bytes = readFileSync(file);
      bytes[bytes.length - 5] ^= 0xff; // same size, other content
      writeFileSync(file, bytes);
    };
    // 1. The store's copy of image 0 is damaged (same size): found by hash, rewritten from the cache, nothing paid.
    const first = made.manifest[0];
    flip(join(stateDir, first.path!));
    server.reset();
    const repaired = await makeImages(imagesRequest(stateDir, productRows(4), gen));
    expect(server.generations).toBe(0);
    expect(repaired.manifest).toEqual(made.manifest);
    expect(sha256(readFileSync(join(stateDir, first.path!)))).toBe(first.sha256);
    // 2. Image 1 is gone from the store and its cached bytes are damaged: it is asked for again, and only it.
    const second = made.manifest[1];
    rmSync(join(stateDir, second.path!));
    const cacheDir = join(stateDir, 'image-cache');
    const bins = readdirSync(cacheDir).flatMap((sub) => readdirSync(join(cacheDir, sub)).map((f) => join(cacheDir, sub, f)));
    const secondBin = bins.find((f) => f.endsWith('.bin') && sha256(readFileSync(f)) === second.sha256)!;
    flip(secondBin);
    server.reset();
    const again = await makeImages(imagesRequest(stateDir, productRows(4), gen));
    expect(server.generations).toBe(1);
    expect(server.requests[0].body!.prompt).toBe(second.prompt);
    expect(again.manifest).toEqual(made.manifest);
    expect(sha256(ObjectStore.of(stateDir).get(second.sha256!))).toBe(second.sha256);
  });

  it('request keys are the canonical hash of what decides an image (so caches made before stay valid)', () => {
    const drawing = { provider: 'openai', model: 'dall-e-3', size: '1024x1024', server: 'http://x/v1' };
    const rows = productRows(3);
    const jobs = planImageJobs({ rows, perRow: 2, count: 0, render: (row, i) => `${row!.name} #${i}`, seed: 7, drawing });
    expect(jobs.map((j) => j.key)).toEqual(
      rows.flatMap((row) => [0, 1].map((index) => hashJson({ v: 1, drawing, prompt: `${row.name} #${index}`, row: hashJson(row), seed: 7, index }))),
    );
    const fixed = planImageJobs({ rows: null, perRow: 0, count: 2, render: (_, i) => `"quoted" ${i}`, seed: 1, drawing });
    expect(fixed.map((j) => j.key)).toEqual([0, 1].map((index) => hashJson({ v: 1, drawing, prompt: `"quoted" ${index}`, row: null, seed: 1, index })));
  });

  it('downloads url responses at once (the links expire)', async () => {
    server = await startFakeImagesServer();
    const made = await makeImages(imagesRequest(stateDir, productRows(4), { provider: 'openai', model: 'dall-e-2', baseURL: server.url, responseFormat: 'url' }));
    expect(server.requests.every((r) => r.body!.response_format === 'url')).toBe(true);
    expect(server.downloads).toBe(4);
    expect(made.manifest.map((m) => m.status)).toEqual(['ok', 'ok', 'ok', 'ok']);
    expect(made.manifest[0].revised_prompt).toBeNull();
    expect(made.metadata).toMatchObject({ requests: { downloads: 4 } });
  });

  it('gpt-image-1 is sent no response_format, and its options are passed through', async () => {
    server = await startFakeImagesServer();
    await makeImages(
      imagesRequest(stateDir, productRows(2), { provider: 'openai', model: 'gpt-image-1', baseURL: server.url, quality: 'low', background: 'transparent', outputFormat: 'png' }),
    );
    const body = server.requests[0].body!;
    expect(body.response_format).toBeUndefined();
    expect(body).toMatchObject({ model: 'gpt-image-1', quality: 'low', background: 'transparent', output_format: 'png' });
  });

  it('a changed upstream row sends exactly the requests of the rows that changed', async () => {
    server = await startFakeImagesServer();
    const gen = { provider: 'openai', model: 'dall-e-3', baseURL: server.url };
    const rows = productRows(10);
    const first = await makeImages(imagesRequest(stateDir, rows, gen));
    server.reset();
    const changed = rows.map((r, i) => (i === 3 ? { ...r, name: 'Renamed lamp' } : i === 7 ? { ...r, price: 999 } : r));
    const second = await makeImages(imagesRequest(stateDir, changed, gen));
    // row 7's price is not in the prompt, but the row's data is in the key: its image is made again
    expect(server.generations).toBe(2);
    expect(server.requests.map((r) => r.body!.prompt)).toEqual(expect.arrayContaining([expect.stringContaining('Renamed lamp'), expect.stringContaining('Product 7')]));
    const differing = second.manifest.filter((m, i) => m.sha256 !== first.manifest[i].sha256).map((m) => m.row);
    expect(differing).toEqual([3]); // row 7's prompt is unchanged, so the fake server draws the same picture
  });

  it('retries 429 with Retry-After and 500, counting the retries, without paying twice', async () => {
    server = await startFakeImagesServer({
      script: (r) => {
        if (String(r.body!.prompt).includes('Product 1,') && r.occurrence === 1) return { status: 429, retryAfterSeconds: 0, retryAfterMs: 40, code: 'rate_limit_exceeded' };
        if (String(r.body!.prompt).includes('Product 2,') && r.occurrence <= 2) return { status: 500 };
        return undefined;
      },
    });
    const made = await makeImages(imagesRequest(stateDir, productRows(4), { provider: 'openai', model: 'dall-e-3', baseURL: server.url, concurrency: 2 }));
    expect(made.manifest.every((m) => m.status === 'ok')).toBe(true);
    expect(server.generations).toBe(4 + 1 + 2);
    expect(server.billed).toBe(4);
    expect(made.metadata).toMatchObject({ requests: { sent: 7, retries: 3 } });
  });

  it('records content-policy refusals per row, and fails the asset only above maxRefusalRate', async () => {
    server = await startFakeImagesServer({ refuseContaining: 'Product 3,' });
    const gen = { provider: 'openai', model: 'dall-e-3', baseURL: server.url, maxRefusalRate: 0.2 };
    const req = imagesRequest(stateDir, productRows(5), gen);
    const made = await makeImages(req);
    const refused = made.manifest.filter((m) => m.status === 'refused');
    expect(refused.map((m) => m.row_key)).toEqual(['Product 3']);
    expect(refused[0]).toMatchObject({ sha256: null, path: null, refusal: expect.stringContaining('safety system') });
    expect(made.metadata).toMatchObject({ images: 4, refused: 1, refusal_rate: 0.2 });
    expect(req.captured.warnings.join('\n')).toContain('1 of 5 prompts were refused');
    // refusals are cached too: a re-run asks nothing
    server.reset();
    await makeImages(imagesRequest(stateDir, productRows(5), gen));
    expect(server.generations).toBe(0);

    const strict = await failure(makeImages(imagesRequest(stateDir, productRows(5), { ...gen, maxRefusalRate: 0.1 })));
    expect(strict.message).toContain('1 of 5 prompts were refused');
    expect(strict.why).toContain('Product 3');
  });

  it('maxCost stops spending; a re-run with a higher limit pays only for the missing images', async () => {
    server = await startFakeImagesServer({ latencyMs: 5 });
    const gen = { provider: 'openai', model: 'dall-e-3', baseURL: server.url, concurrency: 1, maxCost: 0.1 };
    const err = await failure(makeImages(imagesRequest(stateDir, productRows(6), gen)));
    expect(err.message).toContain('cost limit of $0.1');
    expect(server.billed).toBe(2); // 2 × $0.04 = $0.08; a third would pass $0.10
    server.reset();
    const made = await makeImages(imagesRequest(stateDir, productRows(6), { ...gen, maxCost: 1 }));
    expect(server.billed).toBe(4);
    expect(made.manifest).toHaveLength(6);
    expect(made.metadata).toMatchObject({ cost_usd: 0.24, cost_usd_this_run: 0.16 });
  });

  it('a prompt the server refuses as invalid (400) is a clear error naming the model and size, with the key redacted', async () => {
    server = await startFakeImagesServer({ script: () => ({ status: 400, code: 'invalid_size', message: `Invalid size for key ${SECRET_KEY}` }) });
    const err = await failure(makeImages(imagesRequest(stateDir, productRows(1), { provider: 'openai', model: 'dall-e-3', baseURL: server.url })));
    expect(err.message).toContain('HTTP 400');
    expect(err.fix).toContain("size '1024x1024'");
    expect([err.message, err.why, err.fix].join('\n')).not.toContain(SECRET_KEY);
  });

  it('refuses a literal API key in the generator config', async () => {
    const err = await failure(makeImages(imagesRequest(stateDir, productRows(1), { provider: 'openai', apiKey: 'sk-x' })));
    expect(err.message).toContain('literal API key');
  });
});
