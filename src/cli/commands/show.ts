import type { Command } from 'commander';
import { decodeValue, shortHash, type Row, computeStatus, ObjectStore } from '../../engine/index.js';
import { type CommonOptions, openSession, requireAsset, withCommonOptions } from '../common.js';
import { table } from '../output.js';
import { renderCheckSections } from '../../validation/index.js';
import { latestValidationReport } from './report.js';
import { imagesSummary, type Tally } from '../../inspect/index.js';

function cell(v: unknown, width = 28): string {
  const s = v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
  return s.length > width ? s.slice(0, width - 1) + '…' : s;
}

export function registerShow(program: Command, setExit: (code: number) => void): void {
  withCommonOptions(
    program
      .command('show')
      .description("an asset's latest materialization in full, with a preview of its rows")
      .argument('<asset>', 'asset name')
      .option('--rows <n>', 'rows to preview', '5'),
  ).action(async (name: string, flags: CommonOptions & { rows: string }) => {
    const { project, catalog, output } = await openSession(flags);
    requireAsset(project, name);
    const status = computeStatus(project, catalog.lookup).get(name)!;
    const m = status.latest;
    // A validation's full report (per-check details) lives in the store, not in the catalog record.
    const validation = status.kind === 'validation' && m ? latestValidationReport(project, status) : null;
    const store = ObjectStore.of(project.stateDir);
    const pictures = status.kind === 'images' ? imagesSummary(store, m ?? null, project) : null;
    if (output.json) {
      output.out(
        JSON.stringify({
          asset: name,
          kind: status.kind,
          state: status.state,
          reasons: status.reasons,
          id: m?.id ?? null,
          cache_key: m?.cache_key ?? null,
          data_hash: m?.data_hash ?? null,
          rows: m?.rows ?? null,
          materialized_at: m?.finished_at ?? null,
          prompt_id: m?.prompt_id ?? null,
          prompt_hash: m?.prompt_hash ?? null,
          seed: m?.seed ?? null,
          generator: m?.generator ?? null,
          upstream: m?.upstream ?? {},
          metadata: m?.metadata ?? {},
          checks: m?.checks ?? [],
          warnings: m?.warnings ?? [],
          ...(validation ? { report: validation.report } : {}),
          ...(pictures ? { images: pictures } : {}),
        }),
      );
      return;
    }
    const c = output.color;
    const def = project.assets.get(name)!.def;
    const lines = [`${c.bold(name)} ${c.dim(`(${def.kind})`)}${def.description ? ` — ${def.description}` : ''}`];
    lines.push(`state        ${status.state}${status.reasons.length ? ` (${status.reasons.join(', ')})` : ''}`);
    if (!m) {
      lines.push(c.dim('never materialized: run `synth materialize ' + name + '`'));
      output.out(lines.join('\n'));
      return;
    }
    lines.push(
      `id           ${m.id} (run ${m.run_id}, ${m.outcome}${m.reused_from ? ` from ${m.reused_from}` : ''})`,
      `when         ${m.finished_at} (${(m.duration_ms / 1000).toFixed(2)}s)`,
      `cache key    ${m.cache_key}`,
      `data hash    ${m.data_hash}${m.rows != null ? ` · ${m.rows} rows` : ''}${m.bytes != null ? ` · ${m.bytes} bytes` : ''}`,
    );
    if (m.prompt_id) lines.push(`prompt       ${m.prompt_id} (${shortHash(m.prompt_hash)})`);
    if (m.seed !== null) lines.push(`seed         ${m.seed}`);
    if (m.generator) lines.push(`generator    ${JSON.stringify(m.generator)}`);
    for (const [up, u] of Object.entries(m.upstream)) lines.push(`upstream     ${up} ${shortHash(u.data_hash)} (${u.materialization_id})`);
    if (validation) {
      lines.push(c.dim(`\n${Object.keys(m.metadata).length} metrics recorded (synth show ${name} --json); full report: synth report ${name} --format html --out ${name}.html`));
    } else if (Object.keys(m.metadata).length) {
      lines.push(c.bold('\nmetadata'));
      for (const [k, v] of Object.entries(m.metadata)) {
        if (k === 'fit' && v && typeof v === 'object' && 'columns' in v) {
          // One line per column: how the generator modelled it and why.
          const { columns, ...rest } = v as { columns: Record<string, string> };
          lines.push(`  fit: ${JSON.stringify(rest)}`);
          for (const [column, how] of Object.entries(columns)) lines.push(`    ${column}: ${how}`);
        } else lines.push(`  ${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`);
      }
    }
    if (m.checks?.length) {
      lines.push(c.bold('\nchecks'));
      lines.push(
        table(
          ['check', 'score', 'threshold', 'result', 'blocking', 'summary'],
          m.checks.map((ch) => [ch.name, ch.score.toFixed(3), String(ch.threshold), ch.passed ? c.green('pass') : c.red('FAIL'), ch.blocking ? 'yes' : 'no', ch.summary]),
          c,
        ),
      );
    }
    if (validation) lines.push('', renderCheckSections(validation.report).trimEnd());
    if (pictures) {
      const tallies = (ts: Tally[]) => ts.map((t) => `${t.value} (${t.count})`).join(', ') || '-';
      lines.push(
        c.bold('\nimages'),
        `  count      ${pictures.images} images${pictures.refused ? `, ${pictures.refused} refused` : ''} · ${pictures.total_bytes} bytes`,
        `  sizes      ${tallies(pictures.sizes)}`,
        `  formats    ${tallies(pictures.formats)}`,
        `  models     ${tallies(pictures.models)}`,
      );
      for (const r of pictures.refusals) lines.push(c.yellow(`  refused    row ${r.row_key ?? '-'}: ${cell(r.reason, 100)}`));
      for (const p of pictures.paths) lines.push(`  ${cell(p.id, 10).padEnd(10)} ${p.path}${p.row_key !== null ? c.dim(` (row ${p.row_key})`) : ''}`);
    }
    for (const w of m.warnings) lines.push(c.yellow(`warning: ${w}`));
    if (m.format === 'jsonl' && m.data_hash && store.has(m.data_hash)) {
      const rows = (decodeValue(store.getText(m.data_hash), 'jsonl') as Row[]).slice(0, Number(flags.rows) || 5);
      if (rows.length) {
        const cols = Object.keys(rows[0]);
        lines.push(
          c.bold(`\nfirst ${rows.length} rows`),
          table(
            cols,
            rows.map((r) => cols.map((k) => cell(r[k]))),
            c,
          ),
        );
      }
    }
    output.out(lines.join('\n'));
    setExit(0);
  });
}
