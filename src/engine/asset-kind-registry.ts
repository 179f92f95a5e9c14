import type { AssetKind } from './asset-kind.js';
import type { AssetSpec } from './definitions.js';
import { UsageError } from './errors.js';
import { didYouMeanText } from './option-issues.js';
import { registerOnce } from './register-once.js';

/**
 * Registered asset kinds by name, in registration order (the order `kind:` lists them in). A Map:
 * kind names come from definitions and plug-in packages, and never reach an object's prototype.
 */
const kinds = new Map<string, AssetKind>();

const KIND_NAME = /^[a-z][a-z0-9_-]{0,63}$/;

/**
 * Makes an asset kind available: definitions whose `spec.kind` is `kind.kind` are keyed, checked,
 * planned and computed by it. Built-in kinds register from their own rooms (`src/builtin-kinds.ts`);
 * a project adds more through `plugins` in synth.config.json (a package exporting `kinds`).
 * @throws UsageError when the name is not lower-case letters, digits, `_` and `-`, or another kind has it.
 */
export function registerAssetKind<S extends AssetSpec>(kind: AssetKind<S>): void {
  if (typeof kind.kind !== 'string' || !KIND_NAME.test(kind.kind)) {
    throw new UsageError({
      what: `Cannot register an asset kind named ${JSON.stringify(kind.kind)}.`,
      why: 'A kind name is written in selections (kind:NAME) and stored in the catalog.',
      fix: 'Name it with lower-case letters, digits, _ and - (e.g. "images").',
    });
  }
  registerOnce(kinds, kind.kind, kind as unknown as AssetKind, 'asset kind');
}

/** Registered kind names, in registration order. */
export function assetKindNames(): string[] {
  return [...kinds.keys()];
}

/** The registered kind of that name, or undefined. */
export function findAssetKind(name: string): AssetKind | undefined {
  return kinds.get(name);
}

/** The registered kind of that name. @throws UsageError naming the known kinds (and the closest). */
export function assetKind(name: string, asset?: string): AssetKind {
  const kind = kinds.get(name);
  if (kind) return kind;
  const names = assetKindNames();
  throw new UsageError({
    what: `Unknown asset kind "${name}"${asset ? ` of asset "${asset}"` : ''}.`,
    why: `Known kinds: ${names.join(', ') || 'none'}.`,
    fix: `${didYouMeanText(name, names).trim()} List the plug-in package that provides it under "plugins" in synth.config.json, or import 'synthgraph' (which registers the built-in kinds) before loading the project.`.trim(),
    asset,
  });
}
