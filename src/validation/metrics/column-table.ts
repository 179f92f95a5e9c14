import type { Row } from '../../engine/index.js';
import { CategoryDictionary, categoricalColumn, countCodes, numericColumn, sortedPresent } from './column-data.js';
import type { ColumnKind } from './column-kinds.js';

/** One column of both sides of a comparison, extracted once and shared by every metric. */
export type ComparedColumn =
  | {
      kind: 'numeric';
      name: string;
      /** Row-aligned values, NaN = missing. */
      reference: Float64Array;
      current: Float64Array;
      /** Present values, ascending (sorted once here, reused by KS, PSI and binning). */
      referenceSorted: Float64Array;
      currentSorted: Float64Array;
    }
  | {
      kind: 'categorical';
      name: string;
      dictionary: CategoryDictionary;
      /** Row-aligned codes in `dictionary`, -1 = missing. */
      reference: Int32Array;
      current: Int32Array;
      referenceCounts: Float64Array;
      currentCounts: Float64Array;
    };

/** Extracts the typed columns of a reference (real / live) and a current (synthetic) row set. */
export function compareColumns(reference: readonly Row[], current: readonly Row[], kinds: Readonly<Record<string, ColumnKind>>): ComparedColumn[] {
  const out: ComparedColumn[] = [];
  for (const [name, kind] of Object.entries(kinds)) {
    if (kind === 'numeric') {
      const r = numericColumn(reference, name);
      const c = numericColumn(current, name);
      out.push({ kind, name, reference: r, current: c, referenceSorted: sortedPresent(r), currentSorted: sortedPresent(c) });
    } else {
      const dictionary = new CategoryDictionary();
      const r = categoricalColumn(reference, name, dictionary);
      const c = categoricalColumn(current, name, dictionary);
      out.push({
        kind,
        name,
        dictionary,
        reference: r,
        current: c,
        referenceCounts: countCodes(r, dictionary.size),
        currentCounts: countCodes(c, dictionary.size),
      });
    }
  }
  return out;
}
