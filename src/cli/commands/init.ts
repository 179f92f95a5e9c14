import path from 'node:path';
import type { Command } from 'commander';
import { packageVersion } from '../../engine/index.js';
import { scaffoldProject, type ScaffoldResult } from '../../init/scaffold.js';
import type { InferredColumn } from '../../init/infer-schema.js';
import { makeOutput, table } from '../output.js';

function describeType(c: InferredColumn): string {
  const t = c.type;
  const kind =
    t.kind === 'enum'
      ? `enum (${t.values.length} values)`
      : t.kind === 'integer' || t.kind === 'number'
        ? `${t.kind} ${t.min} … ${t.max}`
        : t.kind === 'unsupported'
          ? `left out: ${t.why}`
          : t.kind;
  return [kind, c.nullable ? 'nullable' : '', c.optional ? 'optional' : ''].filter(Boolean).join(', ');
}

/** The `synth init --json` document. */
export function initJson(r: ScaffoldResult) {
  return {
    root: r.root,
    created: r.created,
    updated: r.updated,
    assets: r.assets,
    data: r.data
      ? {
          file: r.data.file,
          rows: r.data.rows,
          columns: r.data.columns.map((c) => ({
            name: c.name,
            type: c.type.kind,
            nullable: c.nullable,
            optional: c.optional,
            ...(c.type.kind === 'enum' ? { values: c.type.values } : {}),
          })),
        }
      : null,
    next: r.next,
  };
}

export function registerInit(program: Command, setExit: (code: number) => void): void {
  program
    .command('init [dir]')
    .description('start a project: package.json, src/assets/index.ts, a prompt file, .gitignore; --from FILE fits a first synthetic copy to your own CSV or JSON')
    .option('--from <file>', 'a CSV or TSV (with a header), JSONL or JSON file: its schema is inferred and a synthetic copy fitted to it')
    .option('--name <name>', 'base name of the assets (default: the data file name, or customers)')
    .option('--json', 'print JSON (see docs/cli-contract.md)')
    .option('--verbose', 'print stack traces of errors')
    .option('--no-color', 'no colours (also: NO_COLOR, or when not a terminal)')
    .action(async (dir: string | undefined, flags: { from?: string; name?: string; json?: boolean; verbose?: boolean; color?: boolean }) => {
      const output = makeOutput(flags);
      const result = await scaffoldProject({ dir: dir ?? '.', ...(flags.from ? { from: flags.from } : {}), ...(flags.name ? { name: flags.name } : {}), version: packageVersion() });
      if (output.json) {
        output.out(JSON.stringify(initJson(result)));
        setExit(0);
        return;
      }
      const c = output.color;
      const lines = [`${c.green('✓')} synthgraph project in ${result.root}`, `  created  ${result.created.join('  ')}`];
      if (result.updated.length > 0) lines.push(`  updated  ${result.updated.join('  ')}`);
      lines.push(`  assets   ${result.assets.join(', ')}`);
      if (result.data) {
        lines.push('', `Schema inferred from ${result.data.file} (${result.data.rows} rows), in src/assets/index.ts:`);
        lines.push(
          table(
            ['column', 'type'],
            result.data.columns.map((col) => [col.name, describeType(col)]),
            c,
          ).replace(/^/gm, '  '),
        );
      }
      const cd = path.relative(process.cwd(), result.root);
      lines.push('', 'Next:', ...(cd ? [`  cd ${cd}`] : []), ...result.next.map((n) => `  ${c.bold(n)}`));
      output.out(lines.join('\n'));
      setExit(0);
    });
}
