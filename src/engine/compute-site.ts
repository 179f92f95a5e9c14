import type { CheckRecord } from './catalog.js';
import { decodeValue, encodeCsv, encodeValue } from './codec.js';
import type { AssetContext, StorageFormat } from './definitions.js';
import type { GeneratorConfig } from './generator-plugin.js';
import { assetKind } from './asset-kind-registry.js';
import { MaterializationError } from './errors.js';
import { computeAsset, type ComputedValue } from './materialize-asset.js';
import type { Project, ResolvedAsset } from './project.js';
import type { Row } from './rows.js';
import type { ObjectStore } from './store.js';

/** One asset to compute somewhere else than the run's process: everything a worker needs besides the project it has checked out. */
export interface SiteJob {
  /** Run that asked for it. */
  runId: string;
  asset: string;
  cacheKey: string;
  /** Upstream asset name → its data in the store (hash and how it is encoded). */
  upstream: Record<string, { data_hash: string; format: StorageFormat }>;
  /** Seed the run decided (datasets), or null. */
  seed: number | null;
  /** Generator config with the run's options (datasets), or null. */
  generator: Record<string, unknown> | null;
  /** Retries the definition allows after the first attempt. */
  retries: number;
}

/** What a computed asset left in the store: what its materialization record needs. */
export interface StoredAsset {
  dataHash: string;
  format: StorageFormat;
  csvHash: string | null;
  bytes: number;
  rows: number | null;
  metadata: Record<string, unknown>;
  checks?: CheckRecord[];
  /** Other objects the value refers to (see `ComputedValue.objects`). */
  objects?: string[];
}

/**
 * Where assets are computed, when not in the run's own process (e.g. a queue of workers). The
 * executor stays the only writer of the catalog: a site computes, stores the objects in the shared
 * store, and returns what the record needs. Its retries are its own (the definition's `retries`).
 */
export interface ComputeSite {
  compute(job: SiteJob, ctx: AssetContext): Promise<StoredAsset>;
}

/** Encodes a computed value and stores it (with its CSV copy for rows, and the prompt it was made from). */
export function storeComputed(store: Pick<ObjectStore, 'put'>, asset: ResolvedAsset, computed: ComputedValue): StoredAsset {
  const text = encodeValue(computed.value, computed.format);
  const dataHash = store.put(text);
  const rows = computed.format === 'jsonl' ? (computed.value as Row[]).length : null;
  const csvHash = computed.format === 'jsonl' && assetKind(asset.kind, asset.name).csv ? store.put(encodeCsv(computed.value as Row[])) : null;
  if (asset.prompt) store.put(asset.prompt.content);
  return {
    dataHash,
    format: computed.format,
    csvHash,
    bytes: Buffer.byteLength(text),
    rows,
    metadata: computed.metadata,
    checks: computed.checks,
    ...(computed.objects?.length ? { objects: computed.objects } : {}),
  };
}

/**
 * Computes a site job where it is received: reads the inputs from the (shared) store, computes
 * the asset from the local project's definition and stores the result. One attempt: the site retries.
 */
export async function computeSiteJob(project: Project, store: Pick<ObjectStore, 'put' | 'getText'>, job: SiteJob, ctx: AssetContext): Promise<StoredAsset> {
  const asset = project.assets.get(job.asset);
  if (!asset) {
    throw new MaterializationError({
      what: `This worker's project has no asset "${job.asset}".`,
      why: 'The coordinator and the worker do not run the same definitions.',
      fix: 'Check out the same project version on every machine.',
      asset: job.asset,
    });
  }
  const inputs: Record<string, unknown> = Object.create(null); // keyed by user-given dep keys
  const decoded = new Map<string, unknown>();
  for (const [key, depName] of Object.entries(asset.deps)) {
    const up = job.upstream[depName];
    if (!up)
      throw new MaterializationError({
        what: `The job for "${job.asset}" lacks its upstream "${depName}".`,
        why: 'The coordinator sent a job that does not match this project.',
        fix: 'Check out the same project version on every machine.',
        asset: job.asset,
      });
    if (!decoded.has(up.data_hash)) decoded.set(up.data_hash, decodeValue(store.getText(up.data_hash), up.format));
    inputs[key] = structuredClone(decoded.get(up.data_hash));
  }
  const computed = await computeAsset(project, asset, inputs, { seed: job.seed, generator: job.generator as GeneratorConfig | null, stateDir: project.stateDir }, ctx, (data) =>
    store.put(data),
  );
  return storeComputed(store, asset, computed);
}
