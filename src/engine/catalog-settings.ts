import { z } from 'zod';

/**
 * The `catalog` section of `synth.config.json`: how much history the catalog keeps, and how it is
 * cut into files. The current state of every asset is always kept, whatever the retention.
 */
export const CatalogSettingsSchema = z.strictObject({
  /**
   * Days of run records kept (each `synth materialize` and daemon tick is one; a daemon firing every
   * minute makes half a million a year). Older history segments are removed when the catalog
   * compacts. `null` keeps them all. Default: 90.
   * @example 30
   */
  runsDays: z.number().int().min(1).nullable().default(90),
  /**
   * Days of materialization records kept. An older record that is still an asset's current value
   * is kept (in the state file); lineage of a removed one is reported as `missing`, and objects only
   * it referred to become garbage for `synth gc`. `null` keeps them all. Default: null (all: they
   * grow with what changed, not with runs, and are what lineage and cached reuse read).
   * @example 365
   */
  materializationsDays: z.number().int().min(1).nullable().default(null),
  /**
   * Size in bytes at which a history segment file is closed and a new one started (retention
   * removes whole segments). Default: 8 MiB.
   * @example 1048576
   */
  segmentBytes: z
    .number()
    .int()
    .min(1024)
    .default(8 * 1024 * 1024),
});
export type CatalogSettings = z.output<typeof CatalogSettingsSchema>;

export const defaultCatalogSettings = (): CatalogSettings => CatalogSettingsSchema.parse({});
