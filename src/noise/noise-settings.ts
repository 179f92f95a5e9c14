import { z } from 'zod';

/** A share of rows, in [0, 1]. */
const Rate = z.number().min(0).max(1);

/** `outliers.<column>`: a rate, or a rate and how far out (the value is multiplied by `factor`). */
const OutlierSetting = z.union([
  Rate,
  z.strictObject({
    /** Share of the column's values made outliers. Example: `0.01`. */
    rate: Rate,
    /** The outlier is the value times this factor (or divided by it, at random). Default: 10. Example: `5`. */
    factor: z.number().gt(1).optional(),
  }),
]);

/** `formats.<column>`: a rate, or a rate and the unit written after numbers. */
const FormatSetting = z.union([
  Rate,
  z.strictObject({
    /** Share of the column's values written in another format. Example: `0.1`. */
    rate: Rate,
    /** For numbers: the unit written after the number (`"12.5 USD"`). Default: none (the number as text). Example: `kg`. */
    unit: z.string().max(20).optional(),
  }),
]);

const PerColumn = <T extends z.ZodType>(value: T) => z.record(z.string(), value);

/**
 * The `noise:` block of a prompt file: real-world imperfections applied to the generated rows
 * after generation, with the dataset's seed (so they are reproducible). Every rate is a share of
 * the rows, applied exactly (`round(rate × rows)` rows), never a coin flip per row.
 */
export const NoiseSchema = z.strictObject({
  /** Missing values (null) per column. Example: `{ description: 0.05 }`. */
  missing: PerColumn(Rate).optional(),
  /** One typo (swapped, dropped, doubled or replaced letter) per chosen value of text columns. Example: `{ name: 0.03 }`. */
  typos: PerColumn(Rate).optional(),
  /** Numeric outliers per column. Example: `{ price: { rate: 0.01, factor: 10 } }`. */
  outliers: PerColumn(OutlierSetting).optional(),
  /** Share of rows replaced by an exact copy of another row. Example: `0.02`. */
  duplicates: Rate.optional(),
  /** Inconsistent formats per column: ISO dates in another layout, numbers as text with a unit. Example: `{ shipped: 0.1, weight: { rate: 0.05, unit: kg } }`. */
  formats: PerColumn(FormatSetting).optional(),
  /** Label noise per categorical column: the value replaced by another value of the column. Example: `{ category: 0.05 }`. */
  labels: PerColumn(Rate).optional(),
});

export type NoiseSettings = z.infer<typeof NoiseSchema>;

/** The kinds of noise, in the order they are applied (duplicates last, so copies carry the other noise). */
export const NoiseKind = {
  labels: 'labels',
  outliers: 'outliers',
  formats: 'formats',
  typos: 'typos',
  missing: 'missing',
  duplicates: 'duplicates',
} as const;
export type NoiseKind = (typeof NoiseKind)[keyof typeof NoiseKind];

/** The per-column kinds (every kind but `duplicates`). */
export const COLUMN_NOISE_KINDS = [NoiseKind.labels, NoiseKind.outliers, NoiseKind.formats, NoiseKind.typos, NoiseKind.missing] as const;
export type ColumnNoiseKind = (typeof COLUMN_NOISE_KINDS)[number];

/** The rate of a per-column setting, whether written as a number or as `{ rate }`. */
export function rateOf(setting: number | { rate: number }): number {
  return typeof setting === 'number' ? setting : setting.rate;
}

/** Declared rates by kind and column (`duplicates` under the column `*`): what measurements are compared with. */
export function declaredRates(settings: NoiseSettings): Record<NoiseKind, Record<string, number>> {
  const out = Object.create(null) as Record<NoiseKind, Record<string, number>>;
  for (const kind of COLUMN_NOISE_KINDS) {
    const columns = settings[kind];
    if (!columns) continue;
    out[kind] = Object.create(null) as Record<string, number>;
    for (const [column, setting] of Object.entries(columns)) out[kind][column] = rateOf(setting);
  }
  if (settings.duplicates !== undefined) out.duplicates = { '*': settings.duplicates };
  return out;
}

/** Column names a noise block mentions, with the YAML path of each (for "unknown field" checks). */
export function noiseColumns(settings: NoiseSettings): { column: string; path: string[] }[] {
  const out: { column: string; path: string[] }[] = [];
  for (const kind of COLUMN_NOISE_KINDS) for (const column of Object.keys(settings[kind] ?? {})) out.push({ column, path: ['noise', kind, column] });
  return out;
}

/** True when the block asks for nothing (absent, or every rate 0). */
export function isNoiseless(settings: NoiseSettings | undefined): boolean {
  if (!settings) return true;
  if ((settings.duplicates ?? 0) > 0) return false;
  return COLUMN_NOISE_KINDS.every((kind) => Object.values(settings[kind] ?? {}).every((s) => rateOf(s) === 0));
}
