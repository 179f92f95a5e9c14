import type { AssetKind, GeneratorConfigs, KindSettings } from './asset-kind.js';
import { assetKind } from './asset-kind-registry.js';
import { keyedGeneratorConfig, overrideGenerator, withRunOptions } from './generator-registry.js';
import type { KeyInputs } from './catalog.js';
import { canonicalJson, hashJson } from './hashing.js';
import type { ResolvedAsset } from './project.js';
import type { FileHashMemo } from './file-hash-memo.js';
import { observeSourceFiles } from './source-files.js';

/** Per-run changes to the seed and generator (`--seed`, `--generator`) of the selected assets whose kind has them (datasets). */
export interface Overrides {
  seed?: number;
  /** `PROVIDER[:MODEL]`. */
  generator?: string;
  /** Assets the overrides apply to. */
  assets: ReadonlySet<string>;
}

/** The seed and generator config an asset runs with (its kind's declared settings, overrides applied), or null for kinds without. */
export function effectiveSettings(asset: ResolvedAsset, overrides?: Overrides): KindSettings | null {
  const kind = assetKind(asset.kind, asset.name);
  const declared = kind.settings?.(asset) ?? null;
  if (!declared) return null;
  const applies = !!overrides?.assets.has(asset.name);
  return {
    seed: applies && overrides?.seed !== undefined ? overrides.seed : declared.seed,
    generator: applies && overrides?.generator ? generatorConfigsOf(kind).override(declared.generator, overrides.generator) : declared.generator,
  };
}

/** The generator registry's handling of generator configs: what kinds use unless they bring their own. */
const REGISTRY_CONFIGS: GeneratorConfigs = { keyed: keyedGeneratorConfig, override: overrideGenerator, withRunOptions };

/** How a kind's generator configs are keyed, overridden and given run options. */
export function generatorConfigsOf(kind: AssetKind): GeneratorConfigs {
  return kind.generatorConfigs ?? REGISTRY_CONFIGS;
}

/**
 * The code part of the key: the declared `codeVersion`, else what its kind says defines the
 * asset's logic (a dataset's row schema, a validation's checks, a model's trainer config or function source).
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
  if (asset.def.codeVersion !== undefined) return `v:${asset.def.codeVersion}`;
  return assetKind(asset.kind, asset.name).codeVersion(asset);
}

/** What an asset observes right now outside the graph (content hash of a source's files), or null. */
export function observe(asset: ResolvedAsset, root: string, memo?: FileHashMemo): string | null {
  const kind = assetKind(asset.kind, asset.name);
  const files = kind.observedFiles?.(asset);
  if (files) return observeSourceFiles(root, files, memo).hash;
  return kind.observe?.(asset, root, memo) ?? null;
}

/** Builds the key inputs of an asset given its upstream data hashes. */
export function keyInputsFor(asset: ResolvedAsset, upstream: Record<string, string>, observed: string | null, overrides?: Overrides): KeyInputs {
  const kind = assetKind(asset.kind, asset.name);
  const settings = effectiveSettings(asset, overrides);
  return {
    kind: asset.kind,
    name: asset.name,
    code: codeVersionOf(asset),
    prompt: asset.prompt ? { id: asset.prompt.id, hash: asset.prompt.hash } : null,
    seed: settings?.seed ?? null,
    generator: settings ? generatorConfigsOf(kind).keyed(settings.generator, asset.name) : null,
    rows: kind.rows?.(asset) ?? null,
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
