import { Sfc32, sha256, type Row, type SeededRandom } from '../engine/index.js';
import { COLUMN_NOISE_KINDS, NoiseKind, rateOf, type ColumnNoiseKind, type NoiseSettings } from './noise-settings.js';
import { withTypo } from './typo.js';
import { DATE_LAYOUT_COUNT, isReformattable, reformat } from './value-formats.js';

/** What {@link applyNoise} did: how many values (rows, for duplicates) each kind changed, per column. */
export interface AppliedNoise {
  /** The seed the noise was drawn with (the dataset's). */
  seed: number;
  /** Values changed by kind and column; `duplicates` counts rows. Example: `{ missing: { price: 25 }, duplicates: 10 }`. */
  applied: Partial<Record<ColumnNoiseKind, Record<string, number>>> & { duplicates?: number };
}

/**
 * One stream per kind and column, so adding noise to one column leaves every other column's
 * noise as it was. Drawn from the engine's seeded sfc32, so the same seed gives the same noise.
 */
function streamFor(seed: number, kind: string, column: string): SeededRandom {
  return new Sfc32([seed, parseInt(sha256(`noise:${kind}:${column}`).slice(0, 8), 16)]);
}

/** `count` distinct items of `pool`, drawn without replacement (partial Fisher-Yates on a copy). */
function sample<T>(pool: readonly T[], count: number, rng: SeededRandom): T[] {
  const items = pool.slice();
  const n = Math.min(count, items.length);
  for (let i = 0; i < n; i++) {
    const j = rng.int(i, items.length - 1);
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items.slice(0, n);
}

/** Rows a rate asks for: `round(rate × rows)`, so a declared rate is reproduced exactly when enough values qualify. */
const countFor = (rate: number, rows: number): number => Math.round(rate * rows);

const isScalar = (v: unknown): v is string | number | boolean => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

/** Which values of a column a kind can change. */
const ELIGIBLE: Record<ColumnNoiseKind, (v: unknown) => boolean> = {
  labels: isScalar,
  outliers: (v) => typeof v === 'number' && Number.isFinite(v) && v !== 0,
  formats: isReformattable,
  typos: (v) => typeof v === 'string' && v.length > 0,
  missing: (v) => v !== null && v !== undefined,
};

/**
 * The rows with the declared imperfections: labels swapped, outliers, other formats, typos,
 * missing values, then duplicated rows (last, so copies carry the other noise, as in real data).
 * Never mutates `rows`; the row count is unchanged (a duplicate replaces a row).
 */
export function applyNoise(rows: readonly Row[], settings: NoiseSettings, seed: number): { rows: Row[]; noise: AppliedNoise } {
  const out: Row[] = rows.map((r) => ({ ...r }));
  const applied: AppliedNoise['applied'] = {};
  for (const kind of COLUMN_NOISE_KINDS) {
    const columns = settings[kind];
    if (!columns) continue;
    const counts = (applied[kind] = Object.create(null) as Record<string, number>);
    for (const [column, setting] of Object.entries(columns)) {
      const rng = streamFor(seed, kind, column);
      const eligible: number[] = [];
      for (let i = 0; i < out.length; i++) if (ELIGIBLE[kind](out[i][column])) eligible.push(i);
      const chosen = sample(eligible, countFor(rateOf(setting), out.length), rng);
      const change = changer(kind, setting, column, out, rng);
      for (const i of chosen) out[i][column] = change(out[i][column]);
      counts[column] = chosen.length;
    }
  }
  if (settings.duplicates) {
    const rng = streamFor(seed, NoiseKind.duplicates, '*');
    const order = sample(
      out.map((_, i) => i),
      out.length,
      rng,
    );
    const count = Math.min(countFor(settings.duplicates, out.length), Math.floor(out.length / 2));
    // The first `count` shuffled rows are overwritten by copies of the next `count`: no copy of a copy.
    for (let k = 0; k < count; k++) out[order[k]] = structuredClone(out[order[count + k]]);
    applied.duplicates = count;
  }
  return { rows: out, noise: { seed, applied } };
}

function changer(kind: ColumnNoiseKind, setting: number | { rate: number; factor?: number; unit?: string }, column: string, rows: Row[], rng: SeededRandom): (v: unknown) => unknown {
  switch (kind) {
    case 'missing':
      return () => null;
    case 'typos':
      return (v) => withTypo(String(v), rng);
    case 'outliers': {
      const factor = (typeof setting === 'object' && 'factor' in setting && setting.factor) || 10;
      return (v) => {
        const x = (v as number) * factor;
        return Number.isInteger(v) ? Math.round(x) : x;
      };
    }
    case 'formats': {
      const unit = typeof setting === 'object' && 'unit' in setting ? setting.unit : undefined;
      return (v) => reformat(v, rng.int(0, DATE_LAYOUT_COUNT - 1), unit);
    }
    case 'labels': {
      // The column's values in order of first appearance: the same rows give the same list.
      const values = [...new Set(rows.map((r) => r[column]).filter(isScalar))];
      return (v) => {
        const others = values.filter((x) => x !== v);
        return others.length ? rng.pick(others) : v;
      };
    }
  }
}
