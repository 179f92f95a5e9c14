import type { Command } from 'commander';
import { writeDocument } from '../output.js';
import { encodeCsv, decodeValue, UsageError, type Row, ObjectStore, checkOutputPath } from '../../engine/index.js';
import { type CommonOptions, openSession, requireAsset, withCommonOptions } from '../common.js';

/** Export formats of images assets: a Hugging Face imagefolder (a new folder) or a zip of it. */
const IMAGE_FORMATS = ['imagefolder', 'zip'];

export function registerExport(program: Command, setExit: (code: number) => void): void {
  withCommonOptions(
    program
      .command('export')
      .description("write an asset's latest data to a file (datasets: csv or jsonl; others: json; images: imagefolder or zip)")
      .argument('<asset>', 'asset name')
      .option('--format <format>', 'csv | jsonl | json | imagefolder | zip (images assets)', 'csv')
      .option('--out <file>', 'output file, `-` for standard output (default: standard output); never inside .synth/, never a device or directory')
      .option('--force', 'replace the --out file if it exists'),
  ).action(async (name: string, flags: CommonOptions & { format: string; out?: string; force?: boolean }) => {
    const { project, catalog, output } = await openSession(flags);
    requireAsset(project, name);
    // Checked before any work: a refused --out path costs nothing and writes nothing.
    const target = flags.out === undefined ? undefined : checkOutputPath(flags.out, { force: flags.force });
    if (!['csv', 'jsonl', 'json', ...IMAGE_FORMATS].includes(flags.format))
      throw new UsageError({ what: `Unknown export format "${flags.format}".`, fix: 'Use --format csv, jsonl or json (imagefolder or zip for images assets).' });
    const m = catalog.lookup.latestSuccess(name);
    if (!m?.data_hash) throw new UsageError({ what: `"${name}" has never been materialized: nothing to export.`, fix: `Run \`synth materialize ${name}\` first.` });
    const store = ObjectStore.of(project.stateDir);
    if (IMAGE_FORMATS.includes(flags.format)) {
      const def = project.assets.get(name)!;
      if (m.kind !== 'images') throw new UsageError({ what: `--format ${flags.format} exports images, and "${name}" is a ${m.kind}.`, fix: 'Use --format csv, jsonl or json.' });
      if (!target || target.kind !== 'file')
        throw new UsageError({
          what: `--format ${flags.format} needs --out (a ${flags.format === 'zip' ? 'file' : 'new folder'}).`,
          fix: `Example: synth export ${name} --format ${flags.format} --out ${flags.format === 'zip' ? `${name}.zip` : `${name}/`}`,
        });
      const input = (def.def.spec as { input?: string | null }).input;
      const { exportFilesOf, writeImageFolder, writeImageZip } = await import('../../images/image-export.js');
      const files = exportFilesOf(m, input ? (def.deps[input] ?? null) : null, store);
      if (flags.format === 'zip') writeImageZip(target, files);
      else writeImageFolder(target, files);
      const images = files.length - 1;
      if (output.json) output.out(JSON.stringify({ asset: name, data_hash: m.data_hash, rows: m.rows, file: target.file, images }));
      else
        output.err(
          `wrote ${images} images of ${name} (${m.data_hash.slice(0, 12)}) to ${target.file}${flags.format === 'imagefolder' ? ' (Hugging Face imagefolder: train/ + metadata.jsonl)' : ''}`,
        );
      setExit(0);
      return;
    }
    let text: string;
    if (m.format === 'jsonl') {
      if (flags.format === 'jsonl') text = store.getText(m.data_hash);
      else if (flags.format === 'csv') text = m.csv_hash && store.has(m.csv_hash) ? store.getText(m.csv_hash) : encodeCsv(decodeValue(store.getText(m.data_hash), 'jsonl') as Row[]);
      else text = JSON.stringify(decodeValue(store.getText(m.data_hash), 'jsonl'), null, 2) + '\n';
    } else {
      if (flags.format !== 'json') throw new UsageError({ what: `"${name}" is a ${m.kind} stored as JSON, not rows.`, fix: 'Use --format json.' });
      text = store.getText(m.data_hash);
    }
    const file = await writeDocument(text, target);
    if (file && output.json) output.out(JSON.stringify({ asset: name, data_hash: m.data_hash, rows: m.rows, file }));
    else if (file) output.err(`wrote ${m.rows ?? ''}${m.rows != null ? ' rows ' : ''}of ${name} (${m.data_hash.slice(0, 12)}) to ${file}`);
    setExit(0);
  });
}
