/**
 * Images through the OpenAI Images API against a local fake server (real SDK, real HTTP): the
 * scheduling of 1,000 images at concurrency 8 with 100 ms per answer against the latency-bound
 * ideal, and a cached re-run of 10,000 images. Each figure is min/median/max over 5 fresh processes.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { startFakeImagesServer } from '../test/support/fake-images-server.js';

export const title = 'Images: OpenAI Images API through a local fake server (fresh processes)';

const PROBE = fileURLToPath(new URL('./images-probe.ts', import.meta.url));
const REPO = fileURLToPath(new URL('..', import.meta.url));
const run = promisify(execFile);
const RUNS = 5;

interface Probe {
  ms: number;
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

const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { min: Math.round(s[0]), median: Math.round(s[Math.floor(s.length / 2)]), max: Math.round(s[s.length - 1]) };
};

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
      const s = stats(times);
      out.push({
        case: '1,000 images, concurrency 8, 100 ms/answer (cold cache, in-process time)',
        min_ms: s.min,
        median_ms: s.median,
        max_ms: s.max,
        ideal_ms: ideal,
        median_ratio: Number((s.median / ideal).toFixed(2)),
        target: '≤ 1.3× ideal',
      });
    } finally {
      await slow.close();
    }
    // 10,000 images cached: made once (no latency), then re-run in fresh processes on copies of the state.
    const fast = await startFakeImagesServer({ side: 16 });
    try {
      const primed = dir();
      await probe(fast.url, primed, 10_000, 32);
      const inProcess: number[] = [];
      const wall: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const copy = dir();
        cpSync(primed, copy, { recursive: true });
        fast.reset();
        const { probe: p, wallMs } = await probe(fast.url, copy, 10_000, 8);
        if (fast.generations !== 0 || p.requests.cached !== 10_000) throw new Error(`cached re-run sent ${fast.generations} requests`);
        inProcess.push(p.ms);
        wall.push(wallMs);
      }
      const s = stats(inProcess);
      const w = stats(wall);
      out.push({ case: '10,000 images, all cached (in-process time)', min_ms: s.min, median_ms: s.median, max_ms: s.max, ideal_ms: '-', median_ratio: '-', target: '< 2,000 ms' });
      out.push({
        case: '10,000 images, all cached (whole process incl. tsx start-up)',
        min_ms: w.min,
        median_ms: w.median,
        max_ms: w.max,
        ideal_ms: '-',
        median_ratio: '-',
        target: '-',
      });
    } finally {
      await fast.close();
    }
  } finally {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
  return out;
}
