import type * as Diff from 'diff';
import { lazyPackage } from '../engine/index.js';

const diff = lazyPackage<typeof Diff>('diff');
import { type Materialization, type ObjectStore, canonicalJson, decodeJsonl, shortHash } from '../engine/index.js';
import { changedLines } from './changed-lines.js';
import { diffManifests, type ManifestDiff } from '../images/manifest-diff.js';
import type { ImageManifestRow } from '../images/image-manifest.js';
import { generatorAsRun } from './generator-as-run.js';

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
  /** Images assets only: which images changed, were added or removed, by row key (when both manifests are stored). */
  image_rows?: ManifestDiff;
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
      promptDiff = diff().createTwoFilesPatch(`prompts/${a.prompt_id ?? 'none'}.yaml`, `prompts/${b.prompt_id ?? 'none'}.yaml`, before, after, a.id, b.id);
      promptLines = changedLines(before, after);
    } else {
      const lost = [before === null ? a.prompt_hash : null, after === null ? b.prompt_hash : null].filter(Boolean).map((h) => shortHash(h));
      promptDiff = `(prompt text ${lost.join(', ')} is not in the object store: no text diff)`;
    }
  }
  const side = (m: Materialization) => ({ id: m.id, finished_at: m.finished_at, outcome: m.outcome });
  const imageRows = a.kind === 'images' && b.kind === 'images' ? diffImageRows(a, b, store) : undefined;
  return { asset: a.asset, from: side(a), to: side(b), changes, prompt_diff: promptDiff, prompt_lines_changed: promptLines, ...(imageRows ? { image_rows: imageRows } : {}) };
}

/** The images that differ between two materializations of an images asset, when both manifests are in the store. */
function diffImageRows(a: Materialization, b: Materialization, store?: ObjectStore): ManifestDiff | undefined {
  if (!store || !a.data_hash || !b.data_hash || !store.has(a.data_hash) || !store.has(b.data_hash)) return undefined;
  const manifest = (hash: string) => decodeJsonl(store.getText(hash)) as unknown as ImageManifestRow[];
  return diffManifests(manifest(a.data_hash), manifest(b.data_hash));
}
