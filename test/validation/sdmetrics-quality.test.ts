import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Row } from '../../src/engine/rows.js';
import { classifyColumns, compareColumns, numericColumn, sdmetricsQuality, type SdmetricsQuality } from '../../src/validation/metrics/index.js';
import { Car, cars as carsRows, carsPrompt as carsPromptFile, generate, Penguin, penguinsReference, repo, repoPrompt } from '../generators/local/support.js';

/** The venv scripts/setup-sdmetrics.sh builds (scripts/setup-test-env.sh runs it before the tests). */
const PYTHON = path.join(repo, '.venv-sdmetrics', 'bin', 'python');

interface Table {
  name: string;
  real: Row[];
  synthetic: Row[];
}
interface PythonResult {
  name: string;
  score: number;
  column_shapes: number;
  column_pair_trends: number | null;
  pairs: { columns: [string, string]; score: number | null; counted: boolean }[];
}

/** What SDMetrics is given: the columns the check compares, dates as epoch ms, sdtypes from the kinds. */
function forPython(t: Table) {
  const { kinds } = classifyColumns(t.real);
  const metadata = { columns: Object.fromEntries(Object.entries(kinds).map(([c, k]) => [c, { sdtype: k === 'numeric' ? 'numerical' : 'categorical' }])) };
  const project = (rows: Row[]) => {
    const numbers = Object.fromEntries(
      Object.entries(kinds)
        .filter(([, k]) => k === 'numeric')
        .map(([c]) => [c, numericColumn(rows, c)]),
    );
    return rows.map((r, i) => Object.fromEntries(Object.keys(kinds).map((c) => [c, numbers[c] ? (Number.isNaN(numbers[c][i]) ? null : numbers[c][i]) : (r[c] ?? null)])));
  };
  return { name: t.name, real: project(t.real), synthetic: project(t.synthetic), metadata };
}

function ours(t: Table): SdmetricsQuality {
  const { kinds } = classifyColumns(t.real);
  return sdmetricsQuality(compareColumns(t.real, t.synthetic, kinds));
}

const tables: Table[] = [];
let python: PythonResult[] = [];

beforeAll(async () => {
  expect(existsSync(PYTHON), `${PYTHON} missing: run bash scripts/setup-sdmetrics.sh`).toBe(true);
  const penguins = penguinsReference();
  const synthPenguins = await generate(repoPrompt('penguins_v1'), { asset: 'penguins', schema: Penguin, reference: penguins.slice(0, 241), rows: 1000, seed: 42 });
  tables.push({ name: 'penguins', real: penguins, synthetic: synthPenguins.rows });

  const cars = carsRows();
  const carsPrompt = carsPromptFile();
  const synthCars = await generate(carsPrompt, { asset: 'cars', schema: Car, reference: cars, rows: 700, seed: 9 });
  tables.push({ name: 'cars', real: cars, synthetic: synthCars.rows });

  // Hand-made: missing categories and numbers on both sides, a category only the synthetic side
  // has, weak pairs (below the thresholds), a constant synthetic column.
  const mk = (n: number, shift: number) =>
    Array.from({ length: n }, (_, i) => ({
      a: i % 7 === 0 ? null : ((i * 37) % 101) + shift,
      b: ((i * 37) % 101) * 2 + (i % 5) + shift,
      c: i % 11 === 0 ? null : ['x', 'y', 'z'][(i * 37) % 101 < 40 ? 0 : i % 3 === 0 ? 1 : 2],
      d: shift > 0 && i % 9 === 0 ? 'w' : ['p', 'q'][i % 2],
      e: shift > 0 ? 5 : (i * 13) % 17,
    }));
  tables.push({ name: 'handmade', real: mk(300, 0), synthetic: mk(450, 3) });

  const run = spawnSync(PYTHON, [path.join(repo, 'test/support/sdmetrics_quality.py')], {
    input: JSON.stringify(tables.map(forPython)),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    timeout: 120_000,
  });
  expect(run.status, run.stderr).toBe(0);
  python = JSON.parse(run.stdout) as PythonResult[];
}, 180_000);

describe('sdmetrics_quality reproduces SDMetrics 0.32 QualityReport (defaults) to 1e-6', () => {
  for (const name of ['penguins', 'cars', 'handmade']) {
    it(name, () => {
      const t = tables.find((x) => x.name === name)!;
      const mine = ours(t);
      const theirs = python.find((x) => x.name === name)!;
      expect(Math.abs(mine.score - theirs.score)).toBeLessThan(1e-6);
      expect(Math.abs(mine.column_shapes - theirs.column_shapes)).toBeLessThan(1e-6);
      if (theirs.column_pair_trends === null) expect(Number.isNaN(mine.column_pair_trends)).toBe(true);
      else expect(Math.abs(mine.column_pair_trends - theirs.column_pair_trends)).toBeLessThan(1e-6);
      expect(mine.pairs.length).toBe(theirs.pairs.length);
      for (const p of theirs.pairs) {
        const m = mine.pairs.find((x) => x.columns.join() === p.columns.join())!;
        expect(m.counted, p.columns.join(' × ')).toBe(p.counted);
        if (p.score === null) expect(Number.isNaN(m.score), p.columns.join(' × ')).toBe(true);
        else expect(Math.abs(m.score - p.score), p.columns.join(' × ')).toBeLessThan(1e-6);
      }
    });
  }

  it('the tables exercise what differs from the shared-edge score: skipped identifiers, thresholds, missing cells', () => {
    const cars = tables.find((x) => x.name === 'cars')!;
    expect(classifyColumns(cars.real).skipped.map((c) => c.column)).toEqual(['Name']);
    const counted = python.flatMap((t) => t.pairs.map((p) => p.counted));
    expect(counted).toContain(true);
    expect(counted).toContain(false);
  });
});
