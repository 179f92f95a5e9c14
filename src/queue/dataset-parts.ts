import { type AssetContext, decodeValue, type GenerateRequest, type Generator, loadGenerator, MaterializationError, type Project, type Row, type SiteJob } from '../engine/index.js';
import type { DatasetSpec } from '../generators/dataset-asset.js';
import type { SharedStore } from './shared-store.js';

/** A dataset whose generator can split its run, with the request both sides build the same way. */
export interface DatasetParts {
  generator: Generator;
  request: GenerateRequest;
  /** How many independent parts the run has (≥ 1). */
  count: number;
}

/**
 * The generator request of a dataset job, when its generator can split the run (`Generator.parts`);
 * null for other assets. Built from the local project's definition, as `computeAsset` does.
 */
export async function datasetParts(project: Project, store: SharedStore, job: SiteJob, ctx: AssetContext): Promise<DatasetParts | null> {
  const asset = project.assets.get(job.asset);
  if (!asset || asset.def.spec.kind !== 'dataset' || !job.generator || !asset.prompt) return null;
  const spec = asset.def.spec as DatasetSpec;
  const generator = await loadGenerator(job.generator as never, asset.name);
  if (!generator.parts || !generator.prepareParts) return null;
  let reference: Row[] | undefined;
  if (spec.reference) {
    const up = job.upstream[asset.deps[spec.reference]];
    if (!up)
      throw new MaterializationError({
        what: `The job for "${job.asset}" lacks its reference "${asset.deps[spec.reference]}".`,
        fix: 'Check out the same project version on every machine.',
        asset: job.asset,
      });
    reference = decodeValue(store.getText(up.data_hash), up.format) as Row[];
  }
  const request: GenerateRequest = {
    asset: asset.name,
    schema: spec.schema,
    prompt: asset.prompt,
    rows: spec.rows,
    seed: job.seed ?? spec.seed,
    config: job.generator as GenerateRequest['config'],
    reference,
    stateDir: project.stateDir,
    signal: ctx.signal,
    progress: ctx.progress,
    warn: ctx.warn,
  };
  return { generator, request, count: generator.parts(request) };
}

/** Cuts `count` parts into at most `maxShards` contiguous ranges, in order. */
export function shardRanges(count: number, maxShards: number): { index: number; count: number; from: number; to: number }[] {
  const m = Math.max(1, Math.min(count, maxShards));
  return Array.from({ length: m }, (_, i) => ({ index: i, count: m, from: Math.floor((i * count) / m), to: Math.floor(((i + 1) * count) / m) }));
}
