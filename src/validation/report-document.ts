import type { CheckResult, ValidationReport } from './validation-asset.js';
import type { CompletenessCheckDetails } from './completeness-check.js';
import type { DriftCheckDetails } from './drift-check.js';
import type { FidelityCheckDetails } from './fidelity-check.js';
import type { PrivacyCheckDetails } from './privacy-check.js';
import type { NoiseCheckDetails } from './noise-check.js';
import { num, pct, pvalue } from './format.js';
import type { ColumnSummary } from './metrics/index.js';
import type { PsiEntry } from './psi-entries.js';
import type { RulesCheckDetails } from './rules-check.js';
import type { SchemaCheckDetails } from './schema-check.js';
import type { UniqueCheckDetails } from './unique-check.js';
import type { UtilityCheckDetails } from './utility-check.js';

/*
 * A report is built once as format-neutral blocks; report-render.ts turns the blocks into
 * Markdown (terminal, files) or HTML, so every format shows the same content.
 */

/** How a cell should stand out. */
export type Tone = 'good' | 'bad' | 'warn';
export type Cell = string | { text: string; tone: Tone };

export type Block =
  | { type: 'heading'; level: 1 | 2 | 3; text: string }
  | { type: 'paragraph'; text: string }
  /** Label/value pairs. */
  | { type: 'fields'; items: Array<[string, Cell]> }
  | { type: 'table'; headers: string[]; rows: Cell[][] }
  | { type: 'list'; items: string[] }
  | { type: 'code'; text: string }
  /** A chart of the check above it; renderers look its picture up by id (and leave it out when they have none). */
  | { type: 'chart'; id: string; title: string };

/** A chart placed in a report: which check it illustrates. */
export interface ChartRef {
  id: string;
  /** Name of the check whose section it follows. */
  check: string;
  title: string;
}

/** Where a report comes from, shown in its header. */
export interface ReportMeta {
  /** The validation asset. */
  asset: string;
  /** `fresh` / `stale` / `missing`, with reasons. */
  state?: string;
  materialized_at?: string | null;
  data_hash?: string | null;
  run_id?: string | null;
  /** Upstream assets and the data hashes the report was computed on. */
  upstream?: Record<string, string>;
}

const verdict = (passed: boolean): Cell => (passed ? { text: 'pass', tone: 'good' } : { text: 'FAIL', tone: 'bad' });

/** The whole report: header, the check table, then one section per check. */
export function reportDocument(report: ValidationReport, meta: ReportMeta, charts: readonly ChartRef[] = []): Block[] {
  const blockingFailed = report.checks.filter((c) => c.blocking && !c.passed).map((c) => c.name);
  const fields: Array<[string, Cell]> = [
    ['Result', report.passed ? { text: 'all checks passed', tone: 'good' } : { text: `${report.checks.filter((c) => !c.passed).length} check(s) failed`, tone: 'bad' }],
    ['Target', `${report.target} (${report.rows} rows)`],
  ];
  if (blockingFailed.length) fields.push(['Blocks downstream', { text: blockingFailed.map((n) => `${meta.asset}.${n}`).join(', '), tone: 'bad' }]);
  if (meta.state) fields.push(['State', meta.state]);
  if (meta.materialized_at) fields.push(['Materialized', meta.materialized_at]);
  if (meta.run_id) fields.push(['Run', meta.run_id]);
  if (meta.data_hash) fields.push(['Report hash', meta.data_hash]);
  for (const [name, hash] of Object.entries(meta.upstream ?? {})) fields.push([`Input ${name}`, hash]);
  return [
    { type: 'heading', level: 1, text: `Validation report: ${meta.asset}` },
    { type: 'fields', items: fields },
    { type: 'heading', level: 2, text: 'Checks' },
    checkTable(report.checks),
    ...checkSections(report, charts),
  ];
}

/** The summary table of the checks. */
export function checkTable(results: readonly CheckResult[]): Block {
  return {
    type: 'table',
    headers: ['check', 'result', 'score', 'threshold', 'blocking', 'summary'],
    rows: results.map((c) => [c.name, verdict(c.passed), num(c.score), String(c.threshold), c.blocking ? 'yes' : 'no', c.summary]),
  };
}

/** One section per check with its details, then its charts. */
export function checkSections(report: ValidationReport, charts: readonly ChartRef[] = []): Block[] {
  return report.checks.flatMap((c) => [
    { type: 'heading', level: 2, text: `${c.name}: ${c.passed ? 'pass' : 'FAIL'} (score ${num(c.score)}, threshold ${c.threshold}${c.blocking ? ', blocking' : ''})` } as Block,
    { type: 'paragraph', text: c.summary } as Block,
    ...detailBlocks(c),
    ...charts.filter((ch) => ch.check === c.name).map((ch): Block => ({ type: 'chart', id: ch.id, title: ch.title })),
  ]);
}

function detailBlocks(c: CheckResult): Block[] {
  const d = c.details as { kind?: unknown };
  switch (d.kind) {
    case 'schema':
      return schemaBlocks(d as SchemaCheckDetails);
    case 'rules':
      return rulesBlocks(d as RulesCheckDetails);
    case 'unique':
      return uniqueBlocks(d as UniqueCheckDetails);
    case 'completeness':
      return completenessBlocks(d as CompletenessCheckDetails);
    case 'fidelity':
      return fidelityBlocks(d as FidelityCheckDetails);
    case 'drift':
      return driftBlocks(d as DriftCheckDetails);
    case 'utility':
      return utilityBlocks(d as UtilityCheckDetails);
    case 'privacy':
      return privacyBlocks(d as PrivacyCheckDetails);
    case 'noise':
      return noiseBlocks((d as NoiseCheckDetails).rates);
    default:
      // A custom check: its details as they are.
      return Object.keys(c.details).length ? [{ type: 'code', text: JSON.stringify(c.details, null, 2) }] : [];
  }
}

/** Declared vs measured noise rates (from `checks.noise()`, or the noise part of `checks.fidelity()`). */
function noiseBlocks(rates: NoiseCheckDetails['rates'] | undefined): Block[] {
  if (!rates?.length) return [];
  return [
    { type: 'heading', level: 3, text: 'Noise: declared vs measured' },
    {
      type: 'table',
      headers: ['kind', 'column', 'declared', 'measured', 'ok'],
      rows: rates.map((r) => [
        r.kind,
        r.column,
        pct(r.declared),
        r.measured === null ? 'applied at generation' : pct(r.measured),
        r.ok === null ? '' : r.ok ? 'yes' : { text: 'no', tone: 'bad' },
      ]),
    },
  ];
}

function schemaBlocks(d: SchemaCheckDetails): Block[] {
  if (d.skipped || d.failures.length === 0) return [];
  return [
    { type: 'heading', level: 3, text: `First failing rows (${d.failures.length} of ${d.failed})` },
    { type: 'table', headers: ['row', 'problems'], rows: d.failures.map((f) => [String(f.row), f.errors.map((e) => `${e.path || '(row)'}: ${e.message}`).join('; ')]) },
  ];
}

function rulesBlocks(d: RulesCheckDetails): Block[] {
  if (d.rules.length === 0) return [];
  return [
    ...(d.file ? [{ type: 'fields', items: [['Prompt file', d.file]] } as Block] : []),
    {
      type: 'table',
      headers: ['rule', 'from', 'violations', 'rate', 'example rows'],
      rows: d.rules.map((r) => [
        r.rule,
        r.origin === 'prompt' ? `prompt${r.line ? ` line ${r.line}` : ''}` : 'check',
        r.violations ? { text: String(r.violations), tone: 'bad' } : '0',
        pct(r.violation_rate),
        [r.examples.join(', '), r.error ?? ''].filter(Boolean).join(' — '),
      ]),
    },
  ];
}

function uniqueBlocks(d: UniqueCheckDetails): Block[] {
  const items: Array<[string, Cell]> = [['Duplicate rows', `${d.duplicates} of ${d.total}`]];
  if (d.duplicate_examples.length) items.push(['Duplicate pairs (earlier, repeat)', d.duplicate_examples.map(([a, b]) => `${a}/${b}`).join(', ')]);
  if (d.key) {
    items.push([`Key (${d.key.key.join(', ')})`, `${d.key.distinct} distinct, ${d.key.duplicates} repeated, ${d.key.missing} missing`]);
    if (d.key.examples.length) items.push(['Repeated key values', d.key.examples.join(', ')]);
  }
  return [{ type: 'fields', items }];
}

function completenessBlocks(d: CompletenessCheckDetails): Block[] {
  return [
    {
      type: 'table',
      headers: ['column', 'missing', 'null rate', 'limit', 'result'],
      rows: d.columns.map((c) => [c.column, String(c.missing), pct(c.null_rate), pct(c.max_null_rate), verdict(c.ok)]),
    },
  ];
}

function fidelityBlocks(d: FidelityCheckDetails): Block[] {
  const psiOf = new Map(d.psi.columns.map((p) => [p.column, p]));
  const out: Block[] = [
    {
      type: 'fields',
      items: [
        ['Overall quality (shared edges, every pair)', num(d.quality)],
        ['Column shapes', num(d.column_shapes.score)],
        ['Column pair trends', num(d.column_pair_trends.score)],
        // Reports stored before SDMetrics' own score was recorded have no such field.
        ...(d.sdmetrics_quality
          ? [
              [
                'SDMetrics 0.32 quality (its defaults)',
                `${num(d.sdmetrics_quality.score)} (shapes ${num(d.sdmetrics_quality.column_shapes)}, pair trends ${num(d.sdmetrics_quality.column_pair_trends)} over ${d.sdmetrics_quality.pairs_counted} pairs with real |ρ| > 0.5 or Cramér's V > 0.3)`,
              ] as [string, Cell],
            ]
          : []),
        ...(d.skipped_columns?.length ? [['Skipped columns', d.skipped_columns.map((c) => `${c.column} (${c.why})`).join('; ')] as [string, Cell]] : []),
        ['Max PSI', `${num(d.psi.max_psi)}${d.psi.drifted.length ? ` (drifted: ${d.psi.drifted.join(', ')})` : ''}`],
        ['Rows', `${d.rows.synthetic} synthetic vs ${d.rows.real} real${d.rows.subsampled ? ` (subsampled, seed ${d.rows.seed})` : ''}`],
      ],
    },
    { type: 'heading', level: 3, text: 'Column shapes and PSI' },
    {
      type: 'table',
      headers: ['column', 'metric', 'score', 'KS D', 'KS p-value', 'PSI', 'PSI level'],
      rows: d.column_shapes.columns.map((c) => [c.column, c.metric, num(c.score), num(c.ks_statistic), pvalue(c.ks_pvalue), num(psiOf.get(c.column)?.psi), level(psiOf.get(c.column))]),
    },
  ];
  if (d.column_pair_trends.pairs.length) {
    out.push(
      { type: 'heading', level: 3, text: 'Column pair trends' },
      {
        type: 'table',
        headers: ['columns', 'metric', 'score', 'real ρ', 'synthetic ρ', 'note'],
        rows: d.column_pair_trends.pairs.map((p) => [p.columns.join(' × '), p.metric, num(p.score), num(p.real_correlation), num(p.synthetic_correlation), p.skipped ?? '']),
      },
    );
  }
  out.push(...noiseBlocks(d.noise), ...suggestionBlocks(d.suggestions));
  return out;
}

function privacyBlocks(d: PrivacyCheckDetails): Block[] {
  const out: Block[] = [
    {
      type: 'fields',
      items: [
        ['Exact copies of real rows', `${d.copies.rows} (${pct(d.copies.rate)}; real hold-out vs training: ${pct(d.copies.baseline_rate)}; allowed ${pct(d.copies.max_rate)})`],
        ['Closer to training than to hold-out', `${pct(d.dcr.closer_to_training)} of ${d.dcr.rows} synthetic rows (0.5 expected for new rows; DCR score ${num(d.dcr.score)})`],
        ['Median distance to closest record', `synthetic ${num(d.dcr.median_synthetic)} vs real hold-out ${num(d.dcr.median_holdout)}`],
      ],
    },
  ];
  if (d.identifiers.length) {
    out.push({
      type: 'table',
      headers: ['identifier/text column', 'training values reused', 'share', 'examples', 'hold-out values made up again'],
      rows: d.identifiers.map((i) => [i.column, String(i.reused), pct(i.share), i.examples.join(', '), String(i.holdout_matches)]),
    });
  }
  return out;
}

function driftBlocks(d: DriftCheckDetails): Block[] {
  const [refName, curName] = d.live === 'target' ? ['reference', 'live'] : ['live', 'target'];
  return [
    {
      type: 'fields',
      items: [
        ['Drifted columns', d.drifted.length ? { text: d.drifted.join(', '), tone: 'bad' } : { text: 'none', tone: 'good' }],
        ['Rows', `${d.rows.target} target vs ${d.rows.reference} reference (live side: ${d.live})`],
        ['Max PSI', `${num(d.max_psi)} (${d.level})`],
        [
          'Flagged when',
          `PSI ≥ 0.1 (moderate) or ≥ 0.25 (major)${d.ks_alpha !== null ? `, or KS p-value < ${d.ks_alpha}` : ''}; "noise PSI" is what equal distributions show at these sample sizes`,
        ],
        ...(d.prompt_file ? [['Prompt file', d.prompt_file] as [string, Cell]] : []),
      ],
    },
    {
      type: 'table',
      headers: ['column', 'PSI', 'level', 'noise PSI', 'KS D', 'KS p-value', refName, curName],
      rows: d.columns.map((c) => [
        c.drifted ? { text: c.column, tone: 'bad' } : c.column,
        num(c.psi),
        level(c),
        num(c.psi_noise),
        num(c.ks_statistic),
        pvalue(c.ks_pvalue),
        describe(c.reference),
        describe(c.current),
      ]),
    },
    ...suggestionBlocks(d.suggestions),
  ];
}

function utilityBlocks(d: UtilityCheckDetails): Block[] {
  const binary = d.task === 'binary';
  const headers = ['model', 'trained on', 'train rows', 'accuracy', 'macro F1', ...(binary ? [`F1 (${String(d.positive_label)})`] : [])];
  // Mean ± sd over the model seeds (reports written before repeats existed have no sd).
  const pm = (mean: number | undefined, sd: number | undefined): string => (sd !== undefined && (d.model_seeds?.length ?? 1) > 1 ? `${num(mean)} ± ${num(sd)}` : num(mean));
  const row = (name: string, on: string, s: UtilityCheckDetails['tstr']): Cell[] => [
    name,
    on,
    String(s.train_rows),
    pm(s.accuracy, s.sd?.accuracy),
    pm(s.macro_f1, s.sd?.macro_f1),
    ...(binary ? [pm(s.f1, s.sd?.f1)] : []),
  ];
  return [
    {
      type: 'table',
      headers,
      rows: [row('TSTR', 'synthetic', d.tstr), row('TRTR', 'real training split', d.trtr)],
    },
    {
      type: 'fields',
      items: [
        [`Ratio TSTR/TRTR (${d.metric === 'f1' ? 'F1' : 'macro F1'})`, num(d.ratio)],
        ['Accuracy ratio', num(d.accuracy_ratio)],
        ['Score', d.score_mode === 'ratio' ? 'ratio, capped at 1' : `TSTR ${d.metric === 'f1' ? 'F1' : 'macro F1'}`],
        ['Real hold-out rows', String(d.holdout_rows)],
        ...(d.model_seeds ? [['Model seeds (mean ± sd)', d.model_seeds.join(', ')] as [string, string]] : []),
        ['Task', d.task],
        ['Features', d.features.join(', ')],
      ],
    },
  ];
}

function suggestionBlocks(items: string[]): Block[] {
  return items.length
    ? [
        { type: 'heading', level: 3, text: 'Suggestions' },
        { type: 'list', items },
      ]
    : [];
}

function level(c: Pick<PsiEntry, 'level'> | undefined): Cell {
  if (!c?.level) return '–';
  return c.level === 'stable' ? c.level : { text: c.level, tone: c.level === 'major' ? 'bad' : 'warn' };
}

/** A side of a column in a few words: mean and range, or the top categories. */
function describe(s: ColumnSummary): string {
  if (s.count === 0) return 'no values';
  if (s.kind === 'numeric') return `mean ${short(s.mean)}, ${short(s.min)}–${short(s.max)}`;
  const top = Object.entries(s.shares).sort((a, b) => b[1] - a[1]);
  return (
    top
      .slice(0, 3)
      .map(([k, v]) => `${k} ${pct(v)}`)
      .join(', ') + (top.length > 3 ? ', …' : '')
  );
}

function short(x: number | null): string {
  return x === null ? '–' : String(Number(x.toPrecision(4)));
}
