import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO } from '../support/project.js';

let dir: string | undefined;
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('another project that installed synthgraph by path (npm install /path/to/repo)', () => {
  it('imports the DSL from "synthgraph" and runs `synth` from its node_modules/.bin', () => {
    dir = mkdtempSync(path.join(tmpdir(), 'synth-consumer-'));
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
    // zod comes from npm's cache (npm ci put it there); the registry is only asked if it is missing.
    execFileSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', REPO, 'zod@4'], { cwd: dir, stdio: 'pipe', timeout: 180_000 });
    mkdirSync(path.join(dir, 'src/assets'), { recursive: true });
    mkdirSync(path.join(dir, 'prompts'));
    writeFileSync(
      path.join(dir, 'prompts/orders_v1.yaml'),
      ['prompt_id: orders_v1', 'domain: retail', 'template: Generate {{rows}} orders', 'rules:', '  - quantity >= 1', '  - if express == true, total > 20', ''].join('\n'),
    );
    writeFileSync(
      path.join(dir, 'src/assets/index.ts'),
      `import { z } from 'zod';
import { checks, dataset, validation } from 'synthgraph';
export const orders = dataset({
  name: 'orders',
  schema: z.object({ id: z.number().int(), quantity: z.number().int().min(1).max(9), total: z.number().positive(), express: z.boolean() }),
  prompt: 'orders_v1',
  rows: 50,
});
export const ordersReport = validation({ name: 'orders_report', deps: { orders }, checks: [checks.schema(), checks.rules({ blocking: true })] });
`,
    );
    const synth = path.join(dir, 'node_modules', '.bin', 'synth');
    const r = spawnSync(synth, ['materialize', '--json'], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(r.status, r.stderr).toBe(0);
    const run = JSON.parse(r.stdout) as { ok: boolean; assets: { asset: string; outcome: string; rows: number | null }[] };
    expect(run.ok).toBe(true);
    expect(run.assets.map((a) => [a.asset, a.outcome])).toEqual([
      ['orders', 'materialized'],
      ['orders_report', 'materialized'],
    ]);
    expect(run.assets[0].rows).toBe(50);
  });
});
