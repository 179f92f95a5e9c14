/**
 * One fresh process of the images benchmark: makes the images of `rows` products against the
 * images server at `baseURL` (state folder `stateDir`) and prints as JSON the time of the call and
 * the CPU time (user + system) of the whole process, start-up included.
 * Usage: tsx bench/images-probe.ts <baseURL> <stateDir> <rows> <concurrency>
 */
import { makeImages } from '../src/images/make-images.js';
import { PHOTO_PROMPT, productRows } from '../test/images/images-kit.js';

const [baseURL, stateDir, rows, concurrency] = process.argv.slice(2);
const start = performance.now();
const made = await makeImages({
  asset: 'product_images',
  settings: {
    prompt: 'product_photo_v1',
    perRow: 1,
    count: 0,
    seed: 42,
    size: '1024x1024',
    generator: { provider: 'openai', model: 'dall-e-3', baseURL, concurrency: Number(concurrency) },
  },
  rows: productRows(Number(rows)),
  promptFile: PHOTO_PROMPT,
  seed: 42,
  stateDir,
  signal: new AbortController().signal,
  progress() {},
  warn() {},
  env: { OPENAI_API_KEY: 'sk-bench' },
});
const ms = performance.now() - start;
const cpu = process.cpuUsage();
console.log(JSON.stringify({ ms, cpu_ms: (cpu.user + cpu.system) / 1000, images: made.manifest.length, requests: made.metadata.requests }));
