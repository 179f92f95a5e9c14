import path from 'node:path';
import {
  type AssetKind,
  functionSourceHash,
  hashJson,
  readSourceColumns,
  readSourceRows,
  resolveSourceFiles,
  type ResolvedAsset,
  rowsOf,
  schemaHash,
  sourceRefProblem,
} from '../engine/index.js';
import type { SourceSpec } from './source-asset.js';

type FileSource = ResolvedAsset<SourceSpec & { files: NonNullable<SourceSpec['files']> }>;
const readsFiles = (asset: ResolvedAsset<SourceSpec>): asset is FileSource => !!asset.def.spec.files;

/** Real data: files observed by content (hashed on every status), or a loader run when its code changes. Rows are also stored as CSV. */
export const sourceKind: AssetKind<SourceSpec> = {
  kind: 'source',
  csv: true,

  codeVersion({ def: { spec } }) {
    if (spec.load) return `fn:${functionSourceHash(spec.load)}`;
    // Reading options change the rows, so they are part of the key (absent: the key of before).
    return spec.onBadLine || spec.schema ? `files:${hashJson({ onBadLine: spec.onBadLine ?? 'error', schema: spec.schema ? schemaHash(spec.schema) : null })}` : 'files';
  },

  observedFiles(asset) {
    return asset.def.spec.files;
  },

  columns(asset, view) {
    if (!readsFiles(asset)) return undefined;
    const files = resolveSourceFiles(view.project.root, asset.def.spec.files);
    // Many sources may read the same files: their header is read once per pass.
    return view.memo(`source-columns\0${files.join('\0')}`, () => readSourceColumns(files));
  },

  knownEmpty(asset, view) {
    if (!readsFiles(asset) || resolveSourceFiles(view.project.root, asset.def.spec.files).length > 0) return undefined;
    const refs = asset.def.spec.files.map((f) => (typeof f === 'string' ? f : `${f.package}:${f.path}`)).join(', ');
    return { because: `whose files (${refs}) match no file`, fix: `Fix the path or glob of source "${asset.name}", or add the files it should match.` };
  },

  checkDefinition(asset, view) {
    for (const ref of asset.def.spec.files ?? []) {
      const problem = sourceRefProblem(view.project.root, ref);
      if (problem) return { ...problem, what: `Source "${asset.name}": ${problem.what}`, near: typeof ref === 'string' ? ref : ref.path };
    }
    return undefined;
  },

  async compute({ project, asset, ctx }) {
    const spec = asset.def.spec;
    if (!spec.files) return { value: rowsOf(await spec.load!(ctx), 'load()', asset.name), format: 'jsonl', metadata: {} };
    const { rows, skipped } = await readSourceRows(resolveSourceFiles(project.root, spec.files), { onBadLine: spec.onBadLine, schema: spec.schema });
    if (skipped.length) {
      const shown = skipped.slice(0, 5).map((s) => `${path.relative(project.root, s.file)}:${s.line} (${s.why})`);
      ctx.warn(`Source "${asset.name}": skipped ${skipped.length} malformed line(s) (onBadLine: 'skip'): ${shown.join('; ')}${skipped.length > 5 ? '; ...' : ''}.`);
    }
    return { value: rows, format: 'jsonl', metadata: skipped.length ? { skipped_lines: skipped.length } : {} };
  },
};
