/**
 * Realism benchmark: public tables the project does not ship as examples, fitted by the local
 * generator with no hints (schema inferred from the data), side by side with SDV's
 * GaussianCopulaSynthesizer on the same 70/30 split, judged by SDMetrics' QualityReport
 * (defaults), a scikit-learn random forest (TSTR macro F1 on the real 30% hold-out) and
 * `checks.privacy()`. Also checks the local rows: no value outside a discrete column's real
 * support, dates within the real range, no real identifier copied.
 *
 *   npm run bench:realism      (builds .venv-bench with SDV + SDMetrics first: bench/setup-bench-venv.sh)
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { parseDateText, parseIsoDate, type Row, type RowSchema } from '../src/engine/index.js';
import { readSourceRows } from '../src/engine/source-files.js';
import { localGenerator } from '../src/generators/local/index.js';
import { splitRows } from '../src/models/index.js';
import { loadPromptFile } from '../src/rules/index.js';
import { classifyColumns } from '../src/validation/metrics/index.js';
import { privacyReport } from '../src/validation/metrics/privacy.js';

const repo = fileURLToPath(new URL('..', import.meta.url));
const data = (f: string) => path.join(repo, 'node_modules/vega-datasets/data', f);
const SPLIT = { test: 0.3, seed: 7 };

/** The tables: a file of vega-datasets and the categorical column TSTR predicts. */
const TABLES = [
  { name: 'cars', file: data('cars.json'), target: 'Origin' },
  { name: 'seattle_weather', file: data('seattle-weather.csv'), target: 'weather' },
  { name: 'gapminder', file: data('gapminder.json'), target: 'cluster' },
  { name: 'movies', file: data('movies.json'), target: 'MPAA Rating' },
];

/** What a new user's schema would say, read off the data: types, nullability, enums for a few text values. */
function inferSchema(rows: Row[]): RowSchema {
  const shape: Record<string, z.ZodType> = {};
  for (const column of Object.keys(rows[0])) {
    const values = rows.map((r) => r[column]).filter((v) => v !== null && v !== undefined);
    const nullable = values.length < rows.length;
    let field: z.ZodType;
    if (values.every((v) => typeof v === 'number')) field = values.every((v) => Number.isInteger(v)) ? z.number().int() : z.number();
    else if (values.every((v) => typeof v === 'boolean')) field = z.boolean();
    else {
      const distinct = [...new Set(values.map(String))].sort();
      const dates = distinct.every((v) => parseIsoDate(v) !== undefined);
      field = !dates && distinct.length <= 20 ? z.enum(distinct as [string, ...string[]]) : z.string();
    }
    shape[column] = nullable ? field.nullable() : field;
  }
  return z.object(shape) as unknown as RowSchema;
}

interface Judged {
  name: string;
  sdtypes: Record<string, string>;
  local_quality: number;
  sdv_quality: number;
  local_quality_detected: number;
  sdv_quality_detected: number;
  local_tstr: number;
  sdv_tstr: number;
  trtr: number;
}

async function main(): Promise<void> {
  const python = path.join(repo, '.venv-bench', 'bin', 'python');
  const work = mkdtempSync(path.join(tmpdir(), 'synth-realism-'));
  try {
    const promptDir = path.join(work, 'prompts');
    mkdirSync(promptDir);
    writeFileSync(path.join(promptDir, 'bench.yaml'), 'prompt_id: bench\ndomain: benchmark\nversion: 1\ntemplate: Generate {{rows}} rows like the reference.\n');
    const prompt = loadPromptFile(promptDir, 'bench');
    const checksByTable = new Map<string, { support: string; dates: string; ids: string; rows: number; local: Row[]; train: Row[]; real: Row[] }>();
    const manifest = { tables: [] as { name: string; dir: string; target: string; identifiers: string[] }[] };
    for (const t of TABLES) {
      const { rows: real } = await readSourceRows([t.file]);
      const { train, test } = splitRows(real, SPLIT);
      const schema = inferSchema(real);
      const started = Date.now();
      const { rows: local } = await localGenerator.generate({
        asset: t.name,
        schema,
        prompt,
        rows: train.length,
        seed: 42,
        config: { provider: 'local' },
        reference: train,
        stateDir: work,
        signal: new AbortController().signal,
        progress() {},
        warn: (m) => console.error(`warning: ${m}`),
      });
      const seconds = (Date.now() - started) / 1000;
      const dir = path.join(work, t.name);
      mkdirSync(dir);
      for (const [f, rows] of Object.entries({ real, train, holdout: test, local })) writeFileSync(path.join(dir, `${f}.json`), JSON.stringify(rows));
      manifest.tables.push({ name: t.name, dir, target: t.target, identifiers: classifyColumns(real).skipped.map((c) => c.column) });
      checksByTable.set(t.name, { ...doneChecks(train, local), rows: real.length, local, train, real });
      console.error(`${t.name}: ${real.length} rows, fitted and generated ${local.length} in ${seconds.toFixed(2)} s`);
    }
    writeFileSync(path.join(work, 'manifest.json'), JSON.stringify(manifest));
    const judge = spawnSync(python, [path.join(repo, 'bench', 'realism.py'), path.join(work, 'manifest.json')], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    if (judge.status !== 0) throw new Error(`the Python judge failed (run bash bench/setup-bench-venv.sh first):\n${judge.stderr}`);
    const judged = judge.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Judged);
    for (const j of judged)
      console.error(
        `${j.name}: SDV's metadata (the judge's sdtypes): ${Object.entries(j.sdtypes)
          .map(([c, t]) => `${c}=${t}`)
          .join(', ')}`,
      );
    const table = judged.map((j) => {
      const c = checksByTable.get(j.name)!;
      const sdv = JSON.parse(readFileSync(path.join(work, j.name, 'sdv.json'), 'utf8')) as Row[];
      const privacyOf = (rows: Row[]) => privacyReport(rows, c.real, { holdout: SPLIT.test, seed: SPLIT.seed });
      const pl = privacyOf(c.local);
      const ps = privacyOf(sdv);
      const reuse = (p: ReturnType<typeof privacyOf>) => p.identifiers.reduce((s, i) => s + i.reused, 0);
      return {
        table: j.name,
        rows: c.rows,
        'quality local': j.local_quality.toFixed(3),
        'quality SDV GC': j.sdv_quality.toFixed(3),
        'quality, ids as categories': `${j.local_quality_detected.toFixed(3)} / ${j.sdv_quality_detected.toFixed(3)}`,
        'TSTR F1 local': j.local_tstr.toFixed(3),
        'TSTR F1 SDV GC': j.sdv_tstr.toFixed(3),
        'TRTR F1': j.trtr.toFixed(3),
        'DCR local': pl.dcr.score.toFixed(2),
        'DCR SDV GC': ps.dcr.score.toFixed(2),
        'copies local/SDV': `${pl.copies.rows}/${ps.copies.rows}`,
        'ids reused local/SDV': `${reuse(pl)}/${reuse(ps)}`,
        'off-support values': c.support,
        'dates in range': c.dates,
      };
    });
    console.table(table);
    console.log(
      '\n| table | rows | SDMetrics quality: local / SDV GaussianCopula | same, names/ids judged as categories | TSTR macro F1: local / SDV GC (TRTR) | DCR score: local / SDV GC | exact copies: local / SDV | identifier values reused: local / SDV | local: values off a discrete support | local: dates in the real range |',
    );
    console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
    for (const r of table) {
      console.log(
        `| ${r.table} | ${r.rows} | ${r['quality local']} / ${r['quality SDV GC']} | ${r['quality, ids as categories']} | ${r['TSTR F1 local']} / ${r['TSTR F1 SDV GC']} (${r['TRTR F1']}) | ${r['DCR local']} / ${r['DCR SDV GC']} | ${r['copies local/SDV'].replace('/', ' / ')} | ${r['ids reused local/SDV'].replace('/', ' / ')} | ${r['off-support values']} | ${r['dates in range']} |`,
      );
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The issue's "done when" on the local rows: discrete support, date range, identifiers. */
function doneChecks(train: Row[], local: Row[]): { support: string; dates: string; ids: string } {
  const { kinds } = classifyColumns(train);
  let offSupport = 0;
  let dateColumns = 0;
  let datesOut = 0;
  for (const column of Object.keys(kinds)) {
    const values = train.map((r) => r[column]).filter((v) => v !== null && v !== undefined);
    const distinct = new Set(values);
    if (values.every((v) => typeof v === 'number') && distinct.size <= 20) offSupport += local.filter((r) => r[column] != null && !distinct.has(r[column])).length;
    if (values.length && values.every((v) => typeof v === 'string' && parseDateText(v) !== undefined)) {
      dateColumns++;
      const ms = values.map((v) => parseDateText(v as string)!);
      const lo = Math.min(...ms);
      const hi = Math.max(...ms);
      datesOut += local.filter((r) => typeof r[column] === 'string' && !(parseDateText(r[column] as string)! >= lo && parseDateText(r[column] as string)! <= hi)).length;
    }
  }
  return { support: String(offSupport), dates: dateColumns ? (datesOut ? `${datesOut} out` : 'yes') : 'n/a', ids: '' };
}

await main();
