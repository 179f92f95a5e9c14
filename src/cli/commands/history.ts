import type { ChalkInstance } from 'chalk';
import type { Command } from 'commander';
import { createTwoFilesPatch } from 'diff';
import { diffKeyInputs, type CatalogIndex, type Materialization, UsageError, canonicalJson, shortHash, ObjectStore } from '../../engine/index.js';
import { type CommonOptions, openSession, requireAsset, withCommonOptions } from '../common.js';
import { table } from '../output.js';
import { changedLines } from '../reasons.js';
import { findMaterialization, generatorAsRun } from './lineage.js';
import { keyMetrics } from './status.js';

/** Why each materialization happened: what changed since the one before it. */
export function historyReasons(list: readonly Materialization[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  let prev: Materialization | undefined;
  for (const m of list) {
    out.set(m.id, !prev ? ['first'] : prev.key_inputs && m.key_inputs ? diffKeyInputs(prev.key_inputs, m.key_inputs) : []);
    if (m.status === 'success') prev = m;
  }
  return out;
}

/** One difference between two materializations. `field` is `seed`, `upstream:products`, `metric:accuracy`... */
export interface FieldChange {
  field: string;
  from: unknown;
  to: unknown;
  /** `to - from` for numbers (metrics, rows, check scores). */
  delta?: number;
}

/** What `synth history ASSET --diff A B --json` prints. */
export interface MaterializationDiff {
  asset: string;
  from: { id: string; finished_at: string; outcome: string };
  to: { id: string; finished_at: string; outcome: string };
  /** Only what differs, in a fixed order: inputs of the cache key first, then results. */
  changes: FieldChange[];
  /** Unified diff of the prompt file texts (from the object store); null when the prompt is the same. */
  prompt_diff: string | null;
  /** Lines changed in the prompt file; null when the same or when a text is not in the store. */
  prompt_lines_changed: number | null;
}

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** Compares two materializations field by field; the prompt texts come from the object store. */
export function diffMaterializations(a: Materialization, b: Materialization, store?: ObjectStore): MaterializationDiff {
  const changes: FieldChange[] = [];
  const same = (x: unknown, y: unknown) => canonicalJson(x ?? null) === canonicalJson(y ?? null);
  const add = (field: string, from: unknown, to: unknown) => {
    if (same(from, to)) return;
    const f = num(from);
    const t = num(to);
    changes.push({ field, from: from ?? null, to: to ?? null, ...(f !== undefined && t !== undefined ? { delta: t - f } : {}) });
  };
  const ka = a.key_inputs;
  const kb = b.key_inputs;
  add('code', ka?.code, kb?.code);
  add('prompt', a.prompt_id ? `${a.prompt_id}@${a.prompt_hash}` : null, b.prompt_id ? `${b.prompt_id}@${b.prompt_hash}` : null);
  add('seed', a.seed, b.seed);
  add('generator', generatorAsRun(a), generatorAsRun(b));
  add('source_data', ka?.observed, kb?.observed);
  add('dependencies', Object.keys(a.upstream).sort(), Object.keys(b.upstream).sort());
  for (const dep of [...new Set([...Object.keys(a.upstream), ...Object.keys(b.upstream)])].sort()) {
    add(`upstream:${dep}`, Object.hasOwn(a.upstream, dep) ? a.upstream[dep].data_hash : undefined, Object.hasOwn(b.upstream, dep) ? b.upstream[dep].data_hash : undefined);
  }
  add('cache_key', a.cache_key, b.cache_key);
  add('status', a.status, b.status);
  add('rows', a.rows, b.rows);
  add('data', a.data_hash, b.data_hash);
  add('bytes', a.bytes, b.bytes);
  const metricNames = [...new Set([...Object.keys(a.metadata), ...Object.keys(b.metadata)])].filter((k) => num(a.metadata[k]) !== undefined || num(b.metadata[k]) !== undefined);
  for (const k of metricNames.sort()) add(`metric:${k}`, a.metadata[k], b.metadata[k]);
  const checksA = new Map((a.checks ?? []).map((c) => [c.name, c]));
  const checksB = new Map((b.checks ?? []).map((c) => [c.name, c]));
  for (const name of [...new Set([...checksA.keys(), ...checksB.keys()])].sort()) {
    add(`check:${name}`, checksA.get(name)?.score, checksB.get(name)?.score);
    add(`check:${name}:passed`, checksA.get(name)?.passed, checksB.get(name)?.passed);
  }
  add('error', a.error?.what, b.error?.what);

  let promptDiff: string | null = null;
  let promptLines: number | null = null;
  if (a.prompt_hash !== b.prompt_hash && (a.prompt_hash || b.prompt_hash)) {
    const text = (hash: string | null) => (!hash ? '' : store?.has(hash) ? store.getText(hash) : null);
    const before = text(a.prompt_hash);
    const after = text(b.prompt_hash);
    if (before !== null && after !== null) {
      promptDiff = createTwoFilesPatch(`prompts/${a.prompt_id ?? 'none'}.yaml`, `prompts/${b.prompt_id ?? 'none'}.yaml`, before, after, a.id, b.id);
      promptLines = changedLines(before, after);
    } else {
      const lost = [before === null ? a.prompt_hash : null, after === null ? b.prompt_hash : null].filter(Boolean).map((h) => shortHash(h));
      promptDiff = `(prompt text ${lost.join(', ')} is not in the object store: no text diff)`;
    }
  }
  const side = (m: Materialization) => ({ id: m.id, finished_at: m.finished_at, outcome: m.outcome });
  return { asset: a.asset, from: side(a), to: side(b), changes, prompt_diff: promptDiff, prompt_lines_changed: promptLines };
}

/** Picks the two materializations to compare: given ids, else the latest vs the one before it (successful ones). */
export function pickDiffPair(index: CatalogIndex, asset: string, ids: readonly string[]): [Materialization, Materialization] {
  if (ids.length > 2) throw new UsageError({ what: `--diff takes at most two materialization ids, got ${ids.length}.`, fix: `Example: synth history ${asset} --diff mat_A mat_B` });
  const successes = index.history(asset).filter((m) => m.status === 'success');
  const latest = successes[successes.length - 1];
  if (ids.length === 2) return [findMaterialization(index, asset, ids[0]), findMaterialization(index, asset, ids[1])];
  if (ids.length === 1) {
    if (!latest) throw new UsageError({ what: `"${asset}" has no successful materialization to compare with.`, fix: `Give two ids: synth history ${asset} --diff A B` });
    return [findMaterialization(index, asset, ids[0]), latest];
  }
  if (successes.length < 2) {
    throw new UsageError({
      what: `"${asset}" has ${successes.length} successful materialization${successes.length === 1 ? '' : 's'}: nothing to compare.`,
      fix: `Give two ids (see \`synth history ${asset}\`): synth history ${asset} --diff A B`,
    });
  }
  return [successes[successes.length - 2], latest];
}

const show = (v: unknown): string => {
  if (v === null || v === undefined) return '-';
  if (typeof v === 'string') return /^[0-9a-f]{64}$/.test(v) ? shortHash(v) : v.replace(/@([0-9a-f]{64})$/, (_m, h: string) => `@${shortHash(h)}`);
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : v.toFixed(4);
  return JSON.stringify(v);
};

export function renderDiff(d: MaterializationDiff, c: ChalkInstance): string {
  const lines = [`${c.bold(d.asset)}: ${d.from.id} ${c.dim(`(${d.from.finished_at}, ${d.from.outcome})`)} → ${d.to.id} ${c.dim(`(${d.to.finished_at}, ${d.to.outcome})`)}`];
  if (!d.changes.length) lines.push(c.dim('no differences'));
  else {
    lines.push(
      table(
        ['field', 'from', 'to', 'change'],
        d.changes.map((ch) => [
          ch.field === 'prompt' && d.prompt_lines_changed !== null ? `prompt (${d.prompt_lines_changed} line${d.prompt_lines_changed === 1 ? '' : 's'})` : ch.field,
          c.red(show(ch.from)),
          c.green(show(ch.to)),
          ch.delta !== undefined ? (ch.delta >= 0 ? '+' : '') + show(ch.delta) : '',
        ]),
        c,
      ),
    );
  }
  if (d.prompt_diff) {
    lines.push('', c.bold('prompt diff'));
    for (const l of d.prompt_diff.split('\n').slice(d.prompt_diff.startsWith('Index') ? 2 : 0)) {
      lines.push(l.startsWith('+') && !l.startsWith('+++') ? c.green(l) : l.startsWith('-') && !l.startsWith('---') ? c.red(l) : l.startsWith('@@') ? c.cyan(l) : l);
    }
  }
  return lines.join('\n').trimEnd();
}

export function registerHistory(program: Command, setExit: (code: number) => void): void {
  withCommonOptions(
    program
      .command('history')
      .description('every materialization of an asset, newest first; --diff compares two of them')
      .argument('<asset>', 'asset name')
      .option('--diff [ids...]', 'compare two materializations (ids or unique prefixes; one id: against the latest; none: the latest two)'),
  ).action(async (name: string, flags: CommonOptions & { diff?: boolean | string[] }) => {
    const { project, catalog, output } = await openSession(flags);
    const list = catalog.lookup.history(name);
    // An asset removed from the definitions keeps its history.
    if (!list.length) requireAsset(project, name);
    const c = output.color;
    if (flags.diff !== undefined) {
      const [a, b] = pickDiffPair(catalog.lookup, name, flags.diff === true ? [] : (flags.diff as string[]));
      const d = diffMaterializations(a, b, ObjectStore.of(project.stateDir));
      output.out(output.json ? JSON.stringify(d) : renderDiff(d, c));
      setExit(0);
      return;
    }
    const reasons = historyReasons(list);
    const newest = [...list].reverse();
    if (output.json) {
      output.out(JSON.stringify(newest.map((m) => ({ ...m, reasons: reasons.get(m.id) }))));
      return;
    }
    if (!newest.length) {
      output.out(c.dim(`${name} has never been materialized`));
      return;
    }
    const colour = { materialized: c.green, cached: c.cyan, failed: c.red } as const;
    output.out(
      table(
        ['id', 'when', 'outcome', 'reasons', 'rows', 'data', 'duration', 'metrics / error'],
        newest.map((m) => [
          m.id,
          m.finished_at.replace('T', ' ').slice(0, 19),
          colour[m.outcome](m.outcome),
          (reasons.get(m.id) ?? []).join(', ') || (m.outcome === 'cached' ? `reused ${m.reused_from}` : 'forced'),
          m.rows != null ? String(m.rows) : '',
          shortHash(m.data_hash),
          `${(m.duration_ms / 1000).toFixed(2)}s`,
          m.error ? c.red(m.error.what) : keyMetrics(m),
        ]),
        c,
      ) + (newest.length >= 2 ? '\n' + c.dim(`compare two: synth history ${name} --diff ${newest[1].id} ${newest[0].id}`) : ''),
    );
    setExit(0);
  });
}
