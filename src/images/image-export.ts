import { randomBytes } from 'node:crypto';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type * as Fflate from 'fflate';
import { decodeJsonl, lazyPackage, OutputPathError, writeError, writeOutputFile, type Materialization, type ObjectStore, type OutputTarget, type Row } from '../engine/index.js';
import { ImageStatus, type ImageManifestRow } from './image-manifest.js';

const fflate = lazyPackage<typeof Fflate>('fflate');

/** The split folder of the exported dataset (what `load_dataset('imagefolder', data_dir=...)` reads as `train`). */
const SPLIT = 'train';

/** Fixed time stamp of zip entries, so the same images give the same zip bytes. */
const ZIP_TIME = new Date('2000-01-01T00:00:00Z');

/** One file of an export: its path inside the folder or zip, and its bytes. */
export interface ExportFile {
  name: string;
  bytes: Uint8Array;
}

const EXTENSIONS: Readonly<Record<string, string>> = { png: 'png', jpeg: 'jpg', webp: 'webp' };

/**
 * The Hugging Face `imagefolder` layout of an images asset: `train/<id>.<ext>` for every image,
 * and `train/metadata.jsonl` with one line per image (`file_name` first, then the manifest's fields,
 * then the fields of the upstream row it was made from, prefixed `row_` when a name is taken).
 * Refused prompts have no image and are left out.
 */
export function imageFolderFiles(manifest: readonly ImageManifestRow[], readObject: (hash: string) => Uint8Array, upstreamRows?: readonly Row[] | null): ExportFile[] {
  const files: ExportFile[] = [];
  const lines: string[] = [];
  for (const m of manifest) {
    if (m.status !== ImageStatus.ok || !m.sha256) continue;
    const name = `${m.id}.${EXTENSIONS[m.format ?? ''] ?? 'bin'}`;
    files.push({ name: `${SPLIT}/${name}`, bytes: readObject(m.sha256) });
    // Null prototype: upstream column names are user data.
    const line: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
    line.file_name = name;
    for (const [k, v] of Object.entries(m)) if (k !== 'path' && k !== 'status' && k !== 'refusal') line[k] = v;
    const row = m.row !== null ? upstreamRows?.[m.row] : undefined;
    for (const [k, v] of Object.entries(row ?? {})) line[Object.hasOwn(line, k) ? `row_${k}` : k] = v;
    lines.push(JSON.stringify(line));
  }
  files.push({ name: `${SPLIT}/metadata.jsonl`, bytes: Buffer.from(lines.length ? lines.join('\n') + '\n' : '', 'utf8') });
  return files;
}

/** The files as a zip (stored, not deflated: images are compressed already), with fixed time stamps. */
export function imageZip(files: readonly ExportFile[]): Uint8Array {
  const entries: Record<string, [Uint8Array, { level: 0; mtime: Date }]> = Object.create(null) as Record<string, [Uint8Array, { level: 0; mtime: Date }]>;
  for (const f of files) entries[f.name] = [f.bytes, { level: 0, mtime: ZIP_TIME }];
  return fflate().zipSync(entries);
}

/**
 * Writes the files into a new folder at a checked output path: first into a temporary folder beside
 * it, then renamed into place, so the folder appears whole or not at all. An existing path is never
 * written into (the output-path check refuses folders, and files unless `--force`).
 */
export function writeImageFolder(target: Extract<OutputTarget, { kind: 'file' }>, files: readonly ExportFile[], flag = '--out'): void {
  const dir = target.file;
  if (target.replaces) {
    throw new OutputPathError({ what: `${flag} ${dir} is a file.`, why: 'The imagefolder export makes a new folder.', fix: 'Name a folder that does not exist yet.', file: dir });
  }
  const tmp = path.join(path.dirname(dir), `.${path.basename(dir)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  try {
    for (const f of files) {
      const file = path.join(tmp, f.name);
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, f.bytes, { flag: 'wx' });
    }
    mkdirSync(tmp, { recursive: true });
    renameSync(tmp, dir);
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOTEMPTY' || code === 'EEXIST') {
      throw new OutputPathError({
        what: `${flag} ${dir} appeared while writing.`,
        why: 'Another process created it after it was checked.',
        fix: 'Choose another name, or remove it and run the command again.',
        file: dir,
      });
    }
    throw writeError(err, dir);
  }
}

/** Writes the zip of the files to a checked output path (atomically, as every user file). */
export function writeImageZip(target: Extract<OutputTarget, { kind: 'file' }>, files: readonly ExportFile[]): void {
  writeOutputFile(target, imageZip(files));
}

/**
 * The export files of an images materialization: its manifest, with the rows of the upstream
 * asset the images were drawn from (found through the materialization's upstream record, so the
 * rows are the ones the images were made from, not newer ones).
 */
export function exportFilesOf(m: Pick<Materialization, 'data_hash' | 'upstream'>, inputAsset: string | null, store: ObjectStore): ExportFile[] {
  const manifest = decodeJsonl(store.getText(m.data_hash!)) as unknown as ImageManifestRow[];
  const up = inputAsset && Object.hasOwn(m.upstream, inputAsset) ? m.upstream[inputAsset] : undefined;
  let rows: Row[] | null = null;
  if (up) {
    try {
      rows = decodeJsonl(store.getText(up.data_hash));
    } catch {
      rows = null; // upstream not stored as rows (or collected): the manifest alone is exported
    }
  }
  return imageFolderFiles(manifest, (hash) => store.get(hash), rows);
}
