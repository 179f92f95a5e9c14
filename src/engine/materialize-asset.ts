import type { ComputedValue, MaterializeSettings } from './asset-kind.js';
import { assetKind } from './asset-kind-registry.js';
import type { AssetContext } from './definitions.js';
import { MaterializationError } from './errors.js';
import type { Project, ResolvedAsset } from './project.js';
import type { Row } from './rows.js';

export type { ComputedValue, MaterializeSettings } from './asset-kind.js';

/**
 * An input value as rows, for kinds that read tables (generators fitting a reference, checks).
 * @throws MaterializationError naming `what` when the value is not an array.
 */
export function rowsOf(value: unknown, what: string, asset: string): Row[] {
  if (!Array.isArray(value)) {
    throw new MaterializationError({
      what: `Asset "${asset}" expected rows from ${what}, got ${value === null ? 'null' : typeof value}.`,
      why: 'Checks and generators work on arrays of records.',
      fix: `Make ${what} a dataset or source (or an asset returning an array of objects).`,
      asset,
    });
  }
  return value as Row[];
}

/**
 * Computes one asset's value from its inputs, by its kind. It needs only the definition, the input
 * values, the settings and a way to store objects beside the value, so that where it runs (in
 * process today, a worker later) is the executor's choice.
 */
export async function computeAsset(
  project: Project,
  asset: ResolvedAsset,
  inputs: Record<string, unknown>,
  settings: MaterializeSettings,
  ctx: AssetContext,
  putObject: (data: string | Uint8Array) => string,
): Promise<ComputedValue> {
  return assetKind(asset.kind, asset.name).compute({ project, asset, inputs, settings, ctx, putObject });
}
