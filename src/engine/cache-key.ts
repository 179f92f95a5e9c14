import type { AssetKind, GeneratorConfigs, KindSettings } from './asset-kind.js';
import { assetKind } from './asset-kind-registry.js';
import { keyedGeneratorConfig, overrideGenerator, withRunOptions } from './generator-registry.js';
import type { KeyInputs } from './catalog.js';
import { canonicalJson, sha256 } from './hashing.js';
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
  return sha256(keyInputsJson(inputs) ?? canonicalJson(inputs));
}

/**
 * The canonical JSON of key inputs of the usual shape, written field by field in sorted key order
 * (every asset's key is computed on every command); undefined for any other shape (extra or
 * missing fields), which the generic writer handles. Same bytes as `canonicalJson`: the golden
 * example hashes check it.
 */
function keyInputsJson(k: KeyInputs): string | undefined {
  let fields = 0;
  for (const _ in k) fields++;
  if (fields !== 9) return undefined;
  const { code, generator, kind, name, observed, prompt, rows, seed, upstream } = k;
  if (typeof code !== 'string' || typeof kind !== 'string' || typeof name !== 'string') return undefined;
  if (!(observed === null || typeof observed === 'string') || !(rows === null || typeof rows === 'number') || !(seed === null || typeof seed === 'number')) return undefined;
  if (!(prompt === null || (typeof prompt === 'object' && typeof prompt.id === 'string' && typeof prompt.hash === 'string' && Object.keys(prompt).length === 2))) return undefined;
  if (generator === undefined || upstream === null || typeof upstream !== 'object') return undefined;
  let ups = '';
  for (const dep of Object.keys(upstream).sort()) {
    const h = upstream[dep];
    if (typeof h !== 'string') return undefined;
    ups += (ups ? ',' : '') + JSON.stringify(dep) + ':' + JSON.stringify(h);
  }
  return (
    '{"code":' +
    JSON.stringify(code) +
    ',"generator":' +
    (generator === null ? 'null' : canonicalJson(generator)) +
    ',"kind":' +
    JSON.stringify(kind) +
    ',"name":' +
    JSON.stringify(name) +
    ',"observed":' +
    JSON.stringify(observed) +
    ',"prompt":' +
    (prompt === null ? 'null' : '{"hash":' + JSON.stringify(prompt.hash) + ',"id":' + JSON.stringify(prompt.id) + '}') +
    ',"rows":' +
    JSON.stringify(rows) +
    ',"seed":' +
    JSON.stringify(seed) +
    ',"upstream":{' +
    ups +
    '}}'
  );
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
