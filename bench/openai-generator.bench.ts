/**
 * The openai generator against a local fake server (real SDK, real HTTP), each figure over
 * fresh processes (openai-generator-probe.ts; the server runs here): 1,000 rows at concurrency
 * 8 with a fixed 100 ms per answer, without rejects and with a server breaking a rule in ~20% of
 * rows, against the latency-bound ideal of the requests actually sent (⌈requests / 8⌉ × 100 ms);
 * then 100,000 rows filling the cache and a cached re-run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ruleBreaking, validRows } from '../test/generators/openai/openai-test-kit.js';
import { startFakeOpenAIServer, type RowFactory } from '../test/support/fake-openai-server.js';
import { RUNS, runProbe, spread } from './fresh-process.js';

/** A spread of whole numbers (ms, counts). */
const whole = (xs: number[]) => spread(xs, '', 0);

export const title = `OpenAI generator against a local fake server (real SDK, real HTTP; min / median / max over ${RUNS} fresh processes)`;

const PROBE = fileURLToPath(new URL('./openai-generator-probe.ts', import.meta.url));
const LATENCY_MS = 100;
const CONCURRENCY = 8;

interface Run {
  ms: number;
  sent: number;
  rows: number;
}

async function latencyBound(label: string, rowFactory: RowFactory): Promise<Record<string, string | number>[]> {
  const server = await startFakeOpenAIServer({ rowFactory, latencyMs: LATENCY_MS });
  try {
    const runs: Array<{ cold: Run; warm: Run }> = [];
    for (let i = 0; i < RUNS; i++) runs.push(await runProbe(PROBE, [server.url, '1000', String(CONCURRENCY)]));
    const ideal = (r: Run) => Math.ceil(r.sent / CONCURRENCY) * LATENCY_MS;
    return (['cold', 'warm'] as const).map((phase) => {
      const rs = runs.map((r) => r[phase]);
      return {
        case: `1,000 rows, ${label}, concurrency ${CONCURRENCY}, ${LATENCY_MS} ms/answer, ${phase === 'cold' ? 'cold (first call of the process)' : 'warm (second call)'}`,
        'wall ms': whole(rs.map((r) => r.ms)),
        requests: whole(rs.map((r) => r.sent)),
        'ideal ms': whole(rs.map(ideal)),
        'ratio to ideal': spread(rs.map((r) => r.ms / ideal(r))),
        target: '≤ 1.3×',
        rows: whole(rs.map((r) => r.rows)),
      };
    });
  } finally {
    await server.close();
  }
}

export default async function (): Promise<Record<string, string | number>[]> {
  const out: Record<string, string | number>[] = [];
  out.push(...(await latencyBound('0% rejected', validRows)));
  out.push(...(await latencyBound('~20% rows break a rule', ruleBreaking)));

  // 100,000 rows: fill the cache (no latency), then a cached re-run in another fresh process.
  const fast = await startFakeOpenAIServer({ rowFactory: validRows });
  const fill: Run[] = [];
  const cached: Run[] = [];
  try {
    for (let i = 0; i < RUNS; i++) {
      const stateDir = mkdtempSync(join(tmpdir(), 'synth-openai-bench-'));
      try {
        fill.push((await runProbe<{ cold: Run }>(PROBE, [fast.url, '100000', '16', stateDir])).cold);
        cached.push((await runProbe<{ cold: Run }>(PROBE, [fast.url, '100000', '16', stateDir])).cold);
      } finally {
        rmSync(stateDir, { recursive: true, force: true });
      }
    }
  } finally {
    await fast.close();
  }
  const row = (label: string, rs: Run[], target: string) => ({
    case: label,
    'wall ms': whole(rs.map((r) => r.ms)),
    requests: whole(rs.map((r) => r.sent)),
    'ideal ms': '-',
    'ratio to ideal': '-',
    target,
    rows: whole(rs.map((r) => r.rows)),
  });
  out.push(row('100,000 rows filling the cache (5,000 requests, 0 ms latency, concurrency 16), cold', fill, '-'));
  out.push(row('100,000 rows cached re-run, cold (fresh process)', cached, '< 1000 ms, 0 requests'));
  return out;
}
