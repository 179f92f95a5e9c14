import type { ChalkInstance } from 'chalk';
import type { Command } from 'commander';
import { shortHash, ObjectStore } from '../../engine/index.js';
import { type MaterializationDiff, diffMaterializations, historyReasons, keyMetrics, pickDiffPair } from '../../inspect/index.js';
import { type CommonOptions, openSession, requireAsset, withCommonOptions } from '../common.js';
import { table } from '../output.js';

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
  if (d.image_rows) {
    const { changed, added, removed, unchanged } = d.image_rows;
    const some = (xs: string[]) => xs.slice(0, 10).join(', ') + (xs.length > 10 ? `, … (${xs.length - 10} more)` : '');
    lines.push('', c.bold('images') + c.dim(` (${unchanged} unchanged)`));
    if (changed.length) lines.push(`  changed  ${changed.length}: ${some(changed)}`);
    if (added.length) lines.push(`  added    ${added.length}: ${some(added)}`);
    if (removed.length) lines.push(`  removed  ${removed.length}: ${some(removed)}`);
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
