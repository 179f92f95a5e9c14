/** Most distinct values a text column may have and still be a category whatever its size. */
export const MAX_SMALL_CATEGORIES = 50;

/**
 * Whether a text column with `distinct` values over `present` non-missing values holds
 * identifiers, names or free text rather than categories: a category either has few values
 * (≤ 50, each seen twice on average) or values that repeat (each seen 5 times on average, such as
 * 63 countries over 682 rows). The generator fits the others with a text model; the metrics
 * leave them out.
 */
export function looksLikeIdentifier(distinct: number, present: number): boolean {
  const fewValues = distinct <= MAX_SMALL_CATEGORIES && distinct * 2 <= present;
  const repeated = distinct * 5 <= present;
  return !fewValues && !repeated;
}
