import { type Materialization, type ObjectStore, decodeValue } from '../engine/index.js';

/** What of a materialization's stored result is small enough to show: first rows, or a validation's report. */
export interface LatestContent {
  /** First rows, for row-shaped (jsonl) results; null otherwise or when the object is absent or too big. */
  preview: Record<string, unknown>[] | null;
  /** A validation's stored report; a sentence pointing at `synth export` when it is too big to send; null otherwise. */
  document: unknown;
}

/** Stored reports bigger than this are summarised, not sent (the page shows checks and metrics anyway). */
const MAX_DOCUMENT_BYTES = 256 * 1024;

/** Reads the first `previewRows` rows or the report of a materialization from the store. */
export function latestContent(store: ObjectStore, latest: Materialization | null, asset: string, previewRows: number): LatestContent {
  let document: unknown = null;
  let preview: Record<string, unknown>[] | null = null;
  if (latest?.data_hash && store.has(latest.data_hash) && (latest.bytes ?? 0) <= MAX_DOCUMENT_BYTES * 16) {
    if (latest.format === 'jsonl') {
      // Only the first lines are needed: no need to parse the whole dataset.
      const text = store.getText(latest.data_hash);
      let end = -1;
      for (let i = 0; i < previewRows; i++) {
        const next = text.indexOf('\n', end + 1);
        if (next < 0) {
          end = text.length;
          break;
        }
        end = next;
      }
      preview = decodeValue(text.slice(0, end), 'jsonl') as Record<string, unknown>[];
    } else if (latest.kind === 'validation' || latest.kind === 'asset') {
      // Reports, and plain assets' JSON values (a blend's curve, which the panel charts).
      document =
        (latest.bytes ?? 0) <= MAX_DOCUMENT_BYTES
          ? decodeValue(store.getText(latest.data_hash), 'json')
          : `(${latest.kind === 'validation' ? 'report' : 'value'} of ${latest.bytes} bytes: see \`synth export ${asset} --format json\`)`;
    }
  }
  return { preview, document };
}
