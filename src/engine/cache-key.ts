import { z } from 'zod';
import type { GeneratorConfig } from './generator-plugin.js';
import { keyedGeneratorConfig, overrideGenerator } from './generator-registry.js';
import type { KeyInputs } from './catalog.js';
import { canonicalJson, hashJson, sha256 } from './hashing.js';
import type { ResolvedAsset } from './project.js';
import type { FileHashMemo } from './file-hash-memo.js';
import { observeSourceFiles } from './source-files.js';

/** Per-run changes to datasets' settings (`--seed`, `--generator`), applied to the selected datasets. */
export interface Overrides {
  seed?: number;
  /** `PROVIDER[:MODEL]`. */
  generator?: string;
  /** Datasets the overrides apply to. */
  assets: ReadonlySet<string>;
}

/** The seed and generator config a dataset runs with, overrides applied. */
export function effectiveDatasetSettings(asset: ResolvedAsset, overrides?: Overrides): { seed: number; generator: GeneratorConfig } | null {
  const spec = asset.def.spec;
  if (spec.kind !== 'dataset') return null;
  const applies = !!overrides?.assets.has(asset.name);
  return {
    seed: applies && overrides?.seed !== undefined ? overrides.seed : spec.seed,
    generator: applies && overrides?.generator ? overrideGenerator(spec.generator, overrides.generator) : spec.generator,
  };
}

const fnSource = (...fns: (((...a: never[]) => unknown) | undefined)[]): string =>
  sha256(fns.map((f) => (f ? f.toString().replace(/\s+/g, ' ') : '')).join('\n'));

const schemaHashes = new WeakMap<object, string>();

/** zod 4's JSON Schema export is canonical for the shape, checks and descriptions of the rows. */
function schemaHash(schema: object): string {
  let hash = schemaHashes.get(schema);
  if (!hash) {
    try {
      hash = hashJson(z.toJSONSchema(schema as z.ZodType, { unrepresentable: 'any' }));
    } catch {
      // A schema JSON Schema can't express (e.g. custom refinements): its field names still count.
      hash = hashJson(Object.keys((schema as { shape: object }).shape));
    }
    schemaHashes.set(schema, hash);
  }
  return hash;
}

/**
 * The code part of the key: the declared `codeVersion`, else what defines the asset's logic
 * (a dataset's row schema, a validation's checks, a model's trainer config or function source).
 */
const codeVersions = new WeakMap<object, string>();

export function codeVersionOf(asset: ResolvedAsset): string {
  let version = codeVersions.get(asset.def);
  if (version === undefined) {
    version = computeCodeVersion(asset);
    codeVersions.set(asset.def, version);
  }
  return version;
}

function computeCodeVersion(asset: ResolvedAsset): string {
  const { def } = asset;
  if (def.codeVersion !== undefined) return `v:${def.codeVersion}`;
  const spec = def.spec;
  switch (spec.kind) {
    case 'dataset':
      return `schema:${schemaHash(spec.schema)}`;
    case 'source':
      if (spec.load) return `fn:${fnSource(spec.load)}`;
      // Reading options change the rows, so they are part of the key (absent: the key of before).
      return spec.onBadLine || spec.schema ? `files:${hashJson({ onBadLine: spec.onBadLine ?? 'error', schema: spec.schema ? schemaHash(spec.schema) : null })}` : 'files';
    case 'validation':
      return `checks:${hashJson({
        target: spec.target,
        reference: spec.reference ?? null,
        seed: spec.seed,
        checks: spec.checks.map((c) => ({ name: c.name, blocking: c.blocking, threshold: c.threshold, config: c.config })),
      })}`;
    case 'model':
      return spec.config !== undefined ? `config:${hashJson(spec.config)}` : `fn:${fnSource(spec.train, spec.evaluate)}`;
    case 'asset':
      return `fn:${fnSource(spec.materialize)}`;
  }
}

/** What a source observes right now (content hash of its files), or null for loader sources. */
export function observe(asset: ResolvedAsset, root: string, memo?: FileHashMemo): string | null {
  const spec = asset.def.spec;
  if (spec.kind !== 'source' || !spec.files) return null;
  return observeSourceFiles(root, spec.files, memo).hash;
}

/** Builds the key inputs of an asset given its upstream data hashes. */
export function keyInputsFor(
  asset: ResolvedAsset,
  upstream: Record<string, string>,
  observed: string | null,
  overrides?: Overrides,
): KeyInputs {
  const settings = effectiveDatasetSettings(asset, overrides);
  const spec = asset.def.spec;
  return {
    kind: asset.kind,
    name: asset.name,
    code: codeVersionOf(asset),
    prompt: asset.prompt ? { id: asset.prompt.id, hash: asset.prompt.hash } : null,
    seed: settings?.seed ?? null,
    generator: settings ? keyedGeneratorConfig(settings.generator, asset.name) : null,
    rows: spec.kind === 'dataset' ? spec.rows : null,
    upstream,
    observed,
  };
}

/** The cache key: sha256 of the canonical JSON of the key inputs. */
export function cacheKeyOf(inputs: KeyInputs): string {
  return hashJson(inputs);
}

/** The reason codes (contract names) that distinguish two sets of key inputs. */
export function diffKeyInputs(before: KeyInputs, now: KeyInputs): string[] {
  const reasons: string[] = [];
  const differ = (a: unknown, b: unknown) => (a === null || b === null ? a !== b : canonicalJson(a) !== canonicalJson(b));
  if (before.code !== now.code) reasons.push('code');
  if (differ(before.prompt, now.prompt)) reasons.push('prompt');
  if (before.seed !== now.seed) reasons.push('seed');
  if (differ(before.generator, now.generator)) reasons.push('generator');
  if (before.rows !== now.rows) reasons.push('rows');
  if (before.observed !== now.observed) reasons.push('data');
  const beforeDeps = Object.keys(before.upstream).sort();
  const nowDeps = Object.keys(now.upstream).sort();
  if (beforeDeps.join('\0') !== nowDeps.join('\0')) reasons.push('dependencies');
  for (const dep of nowDeps) if (Object.hasOwn(before.upstream, dep) && before.upstream[dep] !== now.upstream[dep]) reasons.push(`upstream:${dep}`);
  return reasons;
}
