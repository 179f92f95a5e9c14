import path from 'node:path';
import { createTwoFilesPatch } from 'diff';
import type { DatasetSpec } from '../generators/dataset-asset.js';
import { UsageError, type Catalog, type ObjectStore, type Project, type Row } from '../engine/index.js';
import { feedbackPatterns } from '../feedback/index.js';
import { compileRule, loadPromptFile, parsePromptFile, promptFieldProblem, promptFilePath } from '../rules/index.js';
import { psiReport } from '../validation/metrics/index.js';
import { collectEvidence, latestValue, type TuneEvidence } from './collect-evidence.js';
import { feedbackRule, mineRules } from './mine-rules.js';
import { nextPromptId } from './next-prompt-id.js';
import { noiseFromLive } from './noise-from-live.js';
import { nextPromptText } from './prompt-text.js';
import { refitColumn } from './refit-columns.js';
import { schemaFields } from './schema-fields.js';
import type { TuneChange } from './tune-change.js';

/** Options of {@link planTune}. */
export interface TuneOptions {
  /** Share of live rows a mined rule must hold on. Default 1 (every live row). */
  minConfidence?: number;
  /** Fewest feedback records a pattern needs to become a rule. Default 2. */
  minFeedback?: number;
}

/** The next prompt version, ready to review or write. */
export interface TunePlan {
  /** The new prompt id, e.g. `ecommerce_v2`. */
  promptId: string;
  derivedFrom: string;
  /** Absolute path of the new prompt file. */
  file: string;
  /** Its text. */
  text: string;
  /** Unified diff from the old file. */
  diff: string;
  /** Every change and note, with why. */
  changes: TuneChange[];
  /** Datasets that use the old prompt. */
  datasets: string[];
}

const short = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(0) : v.toPrecision(3));

/**
 * Plans the next version of prompt `promptId` from the evidence of the `from` assets: drifted
 * columns re-fitted to live rows, categories and weights from live counts, rules mined from live
 * data (holding on every live row, broken by the current data), rules from frequent feedback
 * patterns, and noise settings matching live imperfections. Reads only; writes nothing.
 * @throws UsageError (exit 2) for an unknown prompt, a prompt no dataset uses, bad --from assets,
 *   or no evidence at all.
 */
export function planTune(project: Project, catalog: Catalog, store: ObjectStore, promptId: string, from: readonly string[], options: TuneOptions = {}): TunePlan {
  const prompt = loadPromptFile(project.promptsDir, promptId);
  const datasets = [...project.assets.values()]
    .filter((a) => a.def.spec.kind === 'dataset' && (a.def.spec as DatasetSpec).prompt === promptId)
    .map((a) => a.name)
    .sort();
  if (!datasets.length) {
    throw new UsageError({
      what: `No dataset uses prompt "${promptId}".`,
      why: 'synth tune fits a prompt to the columns of the datasets made from it.',
      fix: `Tune a prompt a dataset names (dataset({ prompt: '...' })).`,
    });
  }
  const spec = project.assets.get(datasets[0])!.def.spec as DatasetSpec;
  const fields = schemaFields(spec.schema);
  const evidence = collectEvidence(project, catalog, store, from, promptId);
  const records = evidence.feedback.flatMap((f) => f.records);
  if (!evidence.live.length && !evidence.drift.some((d) => d.columns.size) && !records.length) {
    throw new UsageError({
      what: `No evidence to tune "${promptId}" from: ${from.join(', ')} gave no live rows, no drifted column and no feedback record.`,
      why: 'synth tune changes a prompt only for a reason it can show: live data, a drift or fidelity report that found drift, or feedback records.',
      fix: 'Pass --from a live source, a validation with checks.drift() or checks.fidelity(), or a feedback source.',
    });
  }
  const current = currentRows(catalog, store, datasets);
  const live: Row[] = evidence.live.flatMap((l) => l.rows);
  const liveName = evidence.live.map((l) => l.asset).join(' + ');
  const changes: TuneChange[] = [];

  // 1. Rules mined from live data (first: they decide which rows categories are fitted on).
  const rules: string[] = [];
  const existing = prompt.rules.map((r) => r.text);
  const mined = live.length && current.length ? mineRules(live, current, fields, existing, { minConfidence: options.minConfidence }) : [];
  for (const r of mined) {
    rules.push(r.text);
    changes.push({
      kind: 'rule',
      path: `rules[${existing.length + rules.length - 1}]`,
      after: r.text,
      why: `Holds on every one of the ${r.support} live rows of ${liveName} it applies to; ${r.broken} rows of the current ${datasets[0]} break it.`,
    });
  }
  if (live.length && !current.length)
    changes.push({ kind: 'note', why: `No rule was mined: ${datasets[0]} has never been materialized, so nothing shows which live patterns the current data breaks.` });

  // 2. Drifted columns: from the reports, and live vs current when both are at hand.
  const drifted = driftedColumns(evidence, live, current, fields, liveName);
  const columns = new Map<string, Record<string, unknown>>();
  for (const [column, why] of drifted) {
    if (!live.length) {
      changes.push({ kind: 'note', column, why: `${why}; no live rows were given to re-fit it (add the live source to --from).` });
      continue;
    }
    // A column a mined rule pins (`if A == a, B == b`) is drawn from its weights only outside
    // the rule's condition (the generator sets it inside): fit the weights on those rows.
    const pinned = mined.filter((m) => m.pins && m.column === column);
    const fitRows = pinned.length ? live.filter((r) => !pinned.some((m) => r[m.when.column] === m.when.value)) : live;
    const refit = refitColumn(
      column,
      fitRows,
      spec.schema,
      prompt.columns[column] ?? {},
      `${why}: re-fitted to ${fitRows.length} live rows of ${liveName}${pinned.length ? ` (those no mined rule pins ${column} on)` : ''}.`,
    );
    if (!refit) continue;
    if (refit.changes.some((c) => c.kind !== 'note')) columns.set(column, refit.hints);
    changes.push(...refit.changes);
  }

  // 3. Noise settings matching live imperfections.
  const noise = live.length ? noiseFromLive(live, current, fields, prompt.noise, liveName) : undefined;
  if (noise) changes.push(...noise.changes);

  // 4. Rules from frequent feedback patterns.
  for (const p of feedbackPatterns(records)) {
    const text = feedbackRule(p, options.minFeedback ?? 2);
    if (!text || existing.includes(text) || rules.includes(text)) continue;
    const compiled = compileRule(text);
    const breaking = live.filter((r) => !compiled.test(r)).length;
    if (breaking) {
      changes.push({ kind: 'note', why: `Feedback pattern "${p.error}" (${p.count} records) suggests \`${text}\`, but ${breaking} live rows break it: left out.` });
      continue;
    }
    rules.push(text);
    changes.push({
      kind: 'rule',
      path: `rules[${existing.length + rules.length - 1}]`,
      after: text,
      why: `${p.count} feedback records report "${p.error}"${p.column ? ` on ${p.column}` : ''} (wrong: ${p.wrong.map((v) => JSON.stringify(v)).join(', ')}${p.correct.length ? `; correct: ${p.correct.map((v) => JSON.stringify(v)).join(', ')}` : ''}).`,
    });
  }

  const next = nextPromptId(project.promptsDir, promptId);
  const file = promptFilePath(project.promptsDir, next.id);
  const oldVersion = Number(prompt.version);
  const version = prompt.version !== undefined && Number.isInteger(oldVersion) ? oldVersion + 1 : next.number;
  const text = nextPromptText(prompt.content, {
    id: next.id,
    version,
    derivedFrom: promptId,
    columns,
    rules,
    noise: noise?.changes.length ? noise.noise : undefined,
    evidence: changes.filter((c) => c.kind !== 'note').map((c) => `${c.path}: ${c.why}`),
  });
  // The new version must load and fit the datasets' schema exactly as the old one did.
  const parsed = parsePromptFile(file, text);
  const problem = promptFieldProblem(parsed, fields, datasets[0]);
  if (problem) throw new UsageError(problem);
  const diff = createTwoFilesPatch(`prompts/${promptId}.yaml`, `prompts/${next.id}.yaml`, prompt.content, text, undefined, undefined, { context: 2 });
  return { promptId: next.id, derivedFrom: promptId, file: path.resolve(file), text, diff, changes, datasets };
}

/** Rows of the first dataset of the prompt that has been materialized (empty when none has). */
function currentRows(catalog: Catalog, store: ObjectStore, datasets: readonly string[]): Row[] {
  for (const d of datasets) {
    try {
      const { value } = latestValue(catalog, store, d);
      if (Array.isArray(value)) return value as Row[];
    } catch {
      // Never materialized: try the next one.
    }
  }
  return [];
}

/** Drifted schema columns → why (reports first, then live vs current PSI). */
function driftedColumns(evidence: TuneEvidence, live: readonly Row[], current: readonly Row[], fields: readonly string[], liveName: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const d of evidence.drift) {
    for (const [column, psi] of d.columns) {
      if (fields.includes(column) && !out.has(column)) out.set(column, `${column} drifted in ${d.asset}.${d.check}${psi === null ? '' : ` (PSI ${short(psi)})`}`);
    }
  }
  if (live.length && current.length) {
    const columns = fields.filter((f) => live.some((r) => r[f] !== undefined));
    const report = psiReport(live, current, { columns });
    for (const c of report.columns) {
      if (c.psi !== null && c.level !== 'stable' && !out.has(c.column))
        out.set(c.column, `${c.column} drifted between ${liveName} and the current data (PSI ${short(c.psi)}, ${c.level})`);
    }
  }
  return out;
}
