import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
// Only what showing a reused status needs loads up front: the engine, the definitions and the
// built-in kinds load only when the status must be computed (see reuseStatusSnapshot).
import type { StatusRow } from '../../inspect/status-rows.js';
import { reuseStatusSnapshot, rowsForSelection } from '../../inspect/status-snapshot.js';
import { type ProjectPaths, projectPaths } from '../../engine/project-paths.js';
import { type CommonOptions, withCommonOptions } from '../common-options.js';
import { age, makeOutput, type Output, table } from '../output.js';

export function registerStatus(program: Command, setExit: (code: number) => void): void {
  withCommonOptions(
    program
      .command('status')
      .description('every asset with its state (fresh, stale, missing) and the reasons')
      .argument('[selection...]', 'assets to show (default: all)')
      .option('--reload', 'compute the status from the definitions, not from the snapshot of the last one (see the README, "Status snapshot")'),
  ).action(async (selection: string[], flags: CommonOptions & { reload?: boolean }) => {
    const output = makeOutput(flags);
    const paths = projectPaths({ root: flags.root, defs: flags.defs });
    const reused = flags.reload ? undefined : reuseStatusSnapshot(paths);
    const rows = (reused && rowsForSelection(reused.rows, selection)) ?? (await computeRows(flags, selection, paths));
    await render(rows, paths.stateDir, output);
    setExit(0);
  });
}

/** Loads the project and computes the status in full; keeps a snapshot of it for the next `status`. */
async function computeRows(flags: CommonOptions, selection: string[], paths: ProjectPaths): Promise<StatusRow[]> {
  const [{ openSession }, { resolveSelection }, { statusCatalogStamp }, { computeStatusRows }] = await Promise.all([
    import('../common.js'),
    import('../../engine/index.js'),
    import('../../inspect/status-snapshot.js'),
    import('../../inspect/status-description.js'),
  ]);
  // Taken before the catalog is read: a run recorded meanwhile then makes the snapshot stale, not wrong.
  const stamp = statusCatalogStamp(paths);
  const { project, catalog } = await openSession(flags);
  const names = resolveSelection(project, selection);
  const byName = new Map(computeStatusRows(project, catalog.lookup, stamp).map((r) => [r.asset, r]));
  return names.map((n) => byName.get(n)!);
}

async function render(rows: readonly StatusRow[], stateDir: string, output: Output): Promise<void> {
  if (output.json) {
    output.out(
      JSON.stringify(
        rows.map((r) => ({
          asset: r.asset,
          kind: r.kind,
          group: r.group,
          state: r.state,
          reasons: r.reasons,
          cache_key: r.cache_key,
          data_hash: r.data_hash,
          materialized_at: r.materialized_at,
          rows: r.rows,
        })),
      ),
    );
    return;
  }
  const c = output.color;
  const colour = { fresh: c.green, stale: c.yellow, missing: c.red } as const;
  const groups = new Map<string, StatusRow[]>();
  const counts = { fresh: 0, stale: 0, missing: 0 };
  for (const r of rows) {
    // push, not spread: copying the list per asset was quadratic (0.15 s at 10,000 assets).
    let members = groups.get(r.group);
    if (!members) groups.set(r.group, (members = []));
    members.push(r);
    counts[r.state]++;
  }
  const blocks: string[] = [];
  for (const [group, members] of groups) {
    const lines = members.map((r) => [r.asset, r.kind, colour[r.state](r.state), r.sentences.join('; '), age(r.materialized_at), r.rows != null ? String(r.rows) : '', r.metrics]);
    blocks.push(`${c.bold.underline(group)}\n${table(['asset', 'kind', 'state', 'reasons', 'materialized', 'rows', 'metrics'], lines, c)}`);
  }
  blocks.push(c.dim(`${rows.length} assets: ${counts.fresh} fresh, ${counts.stale} stale, ${counts.missing} missing`));
  // Lineage is loaded only when there is an outbox: it brings the MLflow client (undici) with it.
  if (existsSync(path.join(stateDir, 'outbox'))) {
    const { pendingLineageEvents, failedLineageEvents } = await import('../../lineage/index.js');
    const pending = pendingLineageEvents({ stateDir });
    const failed = failedLineageEvents({ stateDir });
    if (pending) blocks.push(c.yellow(`${pending} lineage event${pending > 1 ? 's' : ''} pending for MLflow: delivered by the next run, or now with \`synth lineage push\``));
    if (failed) blocks.push(c.red(`${failed} lineage event${failed > 1 ? 's' : ''} rejected by MLflow (.synth/outbox/failed): see \`synth lineage push --retry-failed\``));
  }
  output.out(blocks.join('\n\n'));
}
