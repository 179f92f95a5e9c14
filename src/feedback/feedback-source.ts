import { type AssetDef, type CommonOptions, type FileRef } from '../engine/index.js';
import { source } from '../kinds/source-asset.js';
import type { FeedbackRecord } from './feedback-record.js';

/** The tag that marks a source as feedback (how `synth tune` tells it from live data). */
export const FEEDBACK_TAG = { key: 'source_kind', value: 'feedback' } as const;

/** Options of a feedback source. */
export interface FeedbackOptions extends CommonOptions<Record<never, never>> {
  /**
   * The JSON Lines file of error records, relative to the project root (one record per line:
   * `id`, `fields`, `column`, `error`, `value`, `correct`, `origin`, `note`; unknown keys refused).
   * @example file: 'data/feedback/annotations.jsonl'
   */
  file: FileRef;
}

/**
 * Declares annotation or production error records as a source: observed by content like any
 * source (a new record makes what reads it stale), read by `checks.feedback()` and `synth tune`.
 * @example export const fb = feedback({ name: 'label_errors', file: 'data/feedback/errors.jsonl' })
 */
export function feedback(options: FeedbackOptions): AssetDef<FeedbackRecord[]> {
  const { file, tags, ...common } = options;
  return source<FeedbackRecord>({ ...common, file, tags: { ...tags, [FEEDBACK_TAG.key]: FEEDBACK_TAG.value } });
}

/** True for a source declared with {@link feedback}. */
export function isFeedbackSource(def: { kind: string; tags: Readonly<Record<string, string>> }): boolean {
  return def.kind === 'source' && def.tags[FEEDBACK_TAG.key] === FEEDBACK_TAG.value;
}
