import { z } from 'zod';
import type { Row } from '../engine/index.js';
import { LabelSchema, type Label } from './label.js';

/** How one input column becomes model inputs; learned from the training rows and saved with the model. */
export const EncodedFeatureSchema = z.discriminatedUnion('kind', [
  /** One input; a missing or non-numeric value becomes `fill`, the training mean. */
  z.object({ kind: z.literal('numeric'), column: z.string(), fill: z.number() }),
  /**
   * One 0/1 input per category of the training vocabulary. A category never seen in training
   * (or a missing value) encodes as all zeros, so data from another source never breaks prediction.
   */
  z.object({ kind: z.literal('categorical'), column: z.string(), vocabulary: z.array(LabelSchema) }),
]);
export type EncodedFeature = z.infer<typeof EncodedFeatureSchema>;

export interface FitEncoderOptions {
  /** Column to leave out (the target). */
  target: string;
  /** Input columns. Default: every scalar column of the training rows except the target. */
  features?: readonly string[];
  /** Most frequent categories kept per column; rarer ones encode as all zeros. Default 50. */
  maxCategories?: number;
}

/**
 * Learns the encoding of the input columns from training rows. A column is numeric when all
 * its present values are numbers; scalar columns otherwise are one-hot encoded; columns of
 * arrays/objects or with no present value are left out.
 */
export function fitEncoder(rows: readonly Row[], options: FitEncoderOptions): EncodedFeature[] {
  const columns = options.features ?? defaultFeatures(rows, options.target);
  const maxCategories = options.maxCategories ?? 50;
  const out: EncodedFeature[] = [];
  for (const column of columns) {
    let numeric = true;
    let nested = false;
    let sum = 0;
    let n = 0;
    const counts = new Map<Label, number>();
    for (const row of rows) {
      const v = row[column];
      if (v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v))) continue;
      if (typeof v === 'number') {
        sum += v;
        n++;
      } else if (typeof v === 'string' || typeof v === 'boolean') numeric = false;
      else {
        nested = true;
        break;
      }
      counts.set(v as Label, (counts.get(v as Label) ?? 0) + 1);
    }
    if (nested || counts.size === 0) continue;
    if (numeric) out.push({ kind: 'numeric', column, fill: sum / n });
    else {
      // Most frequent first, ties in first-seen order (Map order), so the vocabulary is deterministic.
      const vocabulary = [...counts.entries()]
        .sort((a, b) => b[1] - a[1])
        .slice(0, maxCategories)
        .map(([k]) => k);
      out.push({ kind: 'categorical', column, vocabulary });
    }
  }
  return out;
}

function defaultFeatures(rows: readonly Row[], target: string): string[] {
  const keys = new Set<string>();
  const limit = Math.min(rows.length, 10_000);
  for (let i = 0; i < limit; i++) for (const k in rows[i]) if (k !== target) keys.add(k);
  return [...keys];
}

/** Model input rows for `rows` under a learned encoding. */
export function encodeRows(encoding: readonly EncodedFeature[], rows: readonly Row[]): number[][] {
  const lookups = encoding.map((f) => (f.kind === 'categorical' ? new Map<unknown, number>(f.vocabulary.map((v, i) => [v, i])) : null));
  let width = 0;
  for (const f of encoding) width += f.kind === 'numeric' ? 1 : f.vocabulary.length;
  return rows.map((row) => {
    const x = new Array<number>(width).fill(0);
    let at = 0;
    encoding.forEach((f, fi) => {
      const v = row[f.column];
      if (f.kind === 'numeric') {
        x[at++] = typeof v === 'number' && Number.isFinite(v) ? v : f.fill;
      } else {
        const k = lookups[fi]!.get(v);
        if (k !== undefined) x[at + k] = 1;
        at += f.vocabulary.length;
      }
    });
    return x;
  });
}
