import type { Command } from 'commander';
import { diffKeyInputs } from '../../engine/cache-key.js';
import type { Materialization } from '../../engine/catalog.js';
import { shortHash } from '../../engine/hashing.js';
import { type CommonOptions, openSession, requireAsset, withCommonOptions } from '../common.js';
import { table } from '../output.js';
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

export function registerHistory(program: Command, setExit: (code: number) => void): void {
  withCommonOptions(
    program.command('history').description('every materialization of an asset, newest first').argument('<asset>', 'asset name'),
  ).action(async (name: string, flags: CommonOptions) => {
    const { project, catalog, output } = await openSession(flags);
    requireAsset(project, name);
    const list = catalog.lookup.history(name);
    const reasons = historyReasons(list);
    const newest = [...list].reverse();
    if (output.json) {
      output.out(JSON.stringify(newest.map((m) => ({ ...m, reasons: reasons.get(m.id) }))));
      return;
    }
    const c = output.color;
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
      ) || c.dim(`${name} has never been materialized`),
    );
    setExit(0);
  });
}
