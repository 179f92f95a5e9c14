/**
 * Images through the OpenAI Images API against a local fake server (real SDK, real HTTP): the
 * scheduling of 1,000 images at concurrency 8 with 100 ms per answer against the latency-bound
 * ideal, and a cached re-run of 10,000 images, both in-process (the probe) and as the whole
 * command a user runs (`synth materialize photos --force` in a project of 10,000 products). Each
 * figure is min / median / max over 5 fresh processes; CPU time is user + system of the process.
 * `npm run bench -- images`; `SYNTH_BENCH_IMAGES_CLI=0` skips the CLI case (it first pays 10,000
 * requests to the fake server).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { startFakeImagesServer } from '../test/support/fake-images-server.js';
import { makeProject, removeProject, SYNTH } from '../test/support/project.js';
import { RUNS, spreadOf } from './fresh-process.js';

export const title = 'Images: OpenAI Images API through a local fake server (fresh processes)';

const PROBE = fileURLToPath(new URL('./images-probe.ts', import.meta.url));
const REPO = fileURLToPath(new URL('..', import.meta.url));
const run = promisify(execFile);

interface Probe {
  ms: number;
  cpu_ms: number;
  images: number;
  requests: { sent: number; cached: number };
}

/** Runs the probe in a fresh process (asynchronously: the fake server lives in this one). */
async function probe(baseURL: string, stateDir: string, rows: number, concurrency: number): Promise<{ probe: Probe; wallMs: number }> {
  const start = performance.now();
  const { stdout } = await run(process.execPath, ['--import', 'tsx', PROBE, baseURL, stateDir, String(rows), String(concurrency)], { cwd: REPO, maxBuffer: 1 << 26 });
  const wallMs = performance.now() - start;
  return { probe: JSON.parse(stdout.trim().split('\n').pop()!) as Probe, wallMs };
}

/** Runs `synth` in a fresh process under /usr/bin/time: wall and CPU (user + system) time. */
async function synthTimed(dir: string, args: string[]): Promise<{ wallMs: number; cpuMs: number; stdout: string }> {
  const timeFile = join(dir, '.synth-bench-time');
  const start = performance.now();
  const { stdout } = await run('/usr/bin/time', ['-f', '%U %S', '-o', timeFile, process.execPath, SYNTH, ...args], {
    cwd: dir,
    env: { ...process.env, NO_COLOR: '1', OPENAI_API_KEY: 'sk-bench' },
    maxBuffer: 1 << 26,
  });
  const wallMs = performance.now() - start;
  const [user, sys] = readFileSync(timeFile, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
  return { wallMs, cpuMs: (user + sys) * 1000, stdout };
}

const row = (name: string, xs: number[], extra: Record<string, string | number> = {}): Record<string, string | number> => {
  const s = spreadOf(xs);
  return { case: name, min_ms: Math.round(s.min), median_ms: Math.round(s.median), max_ms: Math.round(s.max), ideal_ms: '-', median_ratio: '-', target: '-', ...extra };
};

function productsCsv(n: number): string {
  const categories = ['Electronics', 'Home', 'Books', 'Toys', 'Sports'];
  return ['name,category,price', ...Array.from({ length: n }, (_, i) => `Product ${i},${categories[i % 5]},${10 + i}`)].join('\n') + '\n';
}

export default async function (): Promise<Record<string, string | number>[]> {
  const out: Record<string, string | number>[] = [];
  const dirs: string[] = [];
  const dir = () => {
    const d = mkdtempSync(join(tmpdir(), 'synth-images-bench-'));
    dirs.push(d);
    return d;
  };
  try {
    // 1,000 images, 8 in flight, 100 ms per answer: ideal = ceil(1000 / 8) × 100 ms.
    const slow = await startFakeImagesServer({ latencyMs: 100 });
    try {
      const ideal = Math.ceil(1000 / 8) * 100;
      const times: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const { probe: p } = await probe(slow.url, dir(), 1000, 8);
        if (p.requests.sent !== 1000) throw new Error(`expected 1,000 requests, got ${p.requests.sent}`);
        times.push(p.ms);
      }
      const s = spreadOf(times);
      out.push({
        ...row('1,000 images, concurrency 8, 100 ms/answer (cold cache, in-process time)', times),
        ideal_ms: ideal,
        median_ratio: Number((s.median / ideal).toFixed(2)),
        target: '≤ 1.3× ideal',
      });
    } finally {
      await slow.close();
    }
    // 10,000 images cached: made once (no latency), re-run once unmeasured (a user's first re-run,
    // which hashes each stored image once and remembers it), then re-run in 5 fresh processes.
    const fast = await startFakeImagesServer({ side: 16 });
    try {
      const state = dir();
      await probe(fast.url, state, 10_000, 32);
      await probe(fast.url, state, 10_000, 8);
      const inProcess: number[] = [];
      const wall: number[] = [];
      const cpu: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        fast.reset();
        const { probe: p, wallMs } = await probe(fast.url, state, 10_000, 8);
        if (fast.generations !== 0 || p.requests.cached !== 10_000) throw new Error(`cached re-run sent ${fast.generations} requests`);
        inProcess.push(p.ms);
        wall.push(wallMs);
        cpu.push(p.cpu_ms);
      }
      out.push(row('10,000 images, all cached (in-process time of makeImages)', inProcess, { target: '< 2,000 ms' }));
      out.push(row('10,000 images, all cached (whole probe process incl. tsx start-up, wall)', wall));
      out.push(row('10,000 images, all cached (whole probe process, CPU user+sys)', cpu));

      if (process.env.SYNTH_BENCH_IMAGES_CLI !== '0') {
        // The command a user runs: a project of 10,000 products, its images made once, then forced re-runs (every image from the cache).
        const project = makeProject({
          'src/assets/index.ts': `
import { images, source } from 'synthgraph';
export const products = source({ name: 'products', file: 'data/products.csv' });
export const photos = images({
  name: 'photos', deps: { products }, prompt: 'product_photo_v1', rowKey: 'name',
  generator: { provider: 'openai', model: 'dall-e-3', baseURL: '${fast.url}', concurrency: 32 },
});
`,
          'data/products.csv': productsCsv(10_000),
          'prompts/product_photo_v1.yaml': 'prompt_id: product_photo_v1\ndomain: ecommerce\ntemplate: A studio photo of {{name}}, a {{category}} product\n',
        });
        dirs.push(project);
        fast.reset();
        await synthTimed(project, ['materialize', '--json']);
        if (fast.generations !== 10_000) throw new Error(`the first CLI run sent ${fast.generations} requests, expected 10,000`);
        await synthTimed(project, ['materialize', 'photos', '--force', '--json']);
        const cliWall: number[] = [];
        const cliCpu: number[] = [];
        for (let i = 0; i < RUNS; i++) {
          fast.reset();
          const r = await synthTimed(project, ['materialize', 'photos', '--force', '--json']);
          if ((fast.generations as number) !== 0) throw new Error(`a forced CLI re-run sent ${fast.generations} requests`);
          if (!r.stdout.includes('"photos"')) throw new Error(`synth materialize printed no result for photos: ${r.stdout.slice(0, 300)}`);
          cliWall.push(r.wallMs);
          cliCpu.push(r.cpuMs);
        }
        out.push(row('10,000 images, all cached: synth materialize photos --force (whole process, wall)', cliWall, { target: '< 2,000 ms' }));
        out.push(row('10,000 images, all cached: synth materialize photos --force (whole process, CPU user+sys)', cliCpu));
        removeProject(project);
      }
    } finally {
      await fast.close();
    }
  } finally {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
  return out;
}
