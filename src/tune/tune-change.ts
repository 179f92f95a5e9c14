/** What one change of a tuned prompt is about. */
export const TuneChangeKind = {
  /** A numeric column's hints re-fitted to live data. */
  hint: 'hint',
  /** A categorical column's categories and weights taken from live data. */
  categories: 'categories',
  /** A rule mined from live data or from feedback patterns. */
  rule: 'rule',
  /** A noise setting matching what live data shows. */
  noise: 'noise',
  /** Something the evidence shows that the prompt file cannot change (e.g. a value the schema's enum lacks). */
  note: 'note',
} as const;
export type TuneChangeKind = (typeof TuneChangeKind)[keyof typeof TuneChangeKind];

/** One change from the old prompt version to the new one, with why it was made. */
export interface TuneChange {
  kind: TuneChangeKind;
  /** YAML path of what changed, e.g. `columns.price` or `rules[2]`; absent for notes. */
  path?: string;
  column?: string;
  before?: unknown;
  after?: unknown;
  /** Why, in one sentence naming the evidence (asset, figures). */
  why: string;
}
