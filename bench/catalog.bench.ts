/**
 * Reading the catalog through its format checks: `synth status --json` on 10,000 trivial assets
 * (whole process, min/median/max over 7 fresh processes; every process is cold), and, in process,
 * what reading that catalog costs: JSON.parse alone, the compiled fast check, and a full zod parse
 * (the alternative the fast check replaces).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
// The engine knows no asset kind: the built-in ones register here, as in the CLI.
import '../src/builtin-plugins.js';
import { loadProject } from '../src/engine/project.js';
import { materialize } from '../src/engine/executor.js';
import { CatalogDataSchema, readCatalogText } from '../src/engine/catalog.js';
import { makeProject, SYNTH } from '../test/support/project.js';
import { trivialGraphDefs } from './engine.bench.js';

export const title = 'Catalog: synth status on 10,000 assets, and the cost of checking the catalog format';

const N = 10_000;

function stats(xs: number[], unit: (x: number) => string): string {
  const s = [...xs].sort((a, b) => a - b);
  return `${unit(s[0])} / ${unit(s[Math.floor(s.length / 2)])} / ${unit(s[s.length - 1])}`;
}

function time(fn: () => void, runs: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    fn();
    out.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return out;
}

export default async function (): Promise<Record<string, string | number>[]> {
  const dir = makeProject({ 'src/assets/index.ts': trivialGraphDefs(N) });
  try {
    const result = await materialize(await loadProject({ root: dir }), { concurrency: 4 });
    if (!result.ok) throw new Error('materialize failed');
    const status = time(() => {
      const r = spawnSync(process.execPath, [SYNTH, 'status', '--json'], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 30 });
      if (r.status !== 0) throw new Error(`synth status failed: ${r.stderr}`);
    }, 7);
    const file = path.join(dir, '.synth', 'catalog.json');
    const text = readFileSync(file, 'utf8');
    const ms = (x: number) => `${x.toFixed(1)} ms`;
    return [
      { measure: `synth status --json, ${N} assets (whole process, cold, min / median / max of 7)`, value: stats(status, (x) => `${(x / 1000).toFixed(2)} s`), catalog: `${(text.length / 1e6).toFixed(1)} MB` },
      { measure: 'JSON.parse of the catalog alone (in process, min / median / max of 7)', value: stats(time(() => JSON.parse(text), 7), ms), catalog: '' },
      { measure: 'read with format checks: JSON.parse + migration + compiled fast check (min / median / max of 7)', value: stats(time(() => readCatalogText(file, text), 7), ms), catalog: '' },
      { measure: 'JSON.parse + full zod safeParse (the alternative, min / median / max of 7)', value: stats(time(() => CatalogDataSchema.safeParse(JSON.parse(text)), 7), ms), catalog: '' },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
