import { readFileSync, statSync } from 'node:fs';
import { didYouMeanText, UsageError, type Row } from '../engine/index.js';
import { FEEDBACK_KEYS, FeedbackRecordSchema, type FeedbackRecord } from './feedback-record.js';

/** Raised for a feedback file or record that is not as documented (exit 2, `file:line`). */
export class FeedbackError extends UsageError {}

/** Largest feedback file read: error records are few; a bigger file is nearly always the wrong one. */
export const MAX_FEEDBACK_BYTES = 64 * 1024 * 1024;

/** A record with where it came from. */
export interface LocatedFeedback {
  record: FeedbackRecord;
  file: string;
  line: number;
}

/** Checks one parsed record; `where` names it in messages (`file:line`). */
export function parseFeedbackRecord(value: unknown, where: { file: string; line: number }): FeedbackRecord {
  const parsed = FeedbackRecordSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const at = `${where.file}:${where.line}`;
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0];
    throw new FeedbackError({
      what: `${at}: unknown field "${key}" in a feedback record.`,
      why: `A feedback record may only have: ${FEEDBACK_KEYS.join(', ')}.`,
      fix: `${didYouMeanText(key, FEEDBACK_KEYS).trim()} Rename or remove "${key}".`.trim(),
      file: where.file,
      line: where.line,
    });
  }
  const path = issue.path.map(String).join('.') || '(record)';
  throw new FeedbackError({
    what: `${at}: feedback record field "${path}" is not valid: ${issue.message}.`,
    why: 'Every record needs "error" (the error type); "fields" maps columns to plain values; "value" and "correct" are plain values.',
    fix: 'Example line: {"id": "r17", "fields": {"category": "Electronics"}, "column": "price", "error": "too_low", "value": 12, "correct": 80}',
    file: where.file,
    line: where.line,
  });
}

/**
 * Reads a feedback file: JSON Lines, one record per line (blank lines skipped).
 * @throws FeedbackError naming `file:line` for a line that is not JSON or not a valid record.
 */
export function readFeedbackFile(file: string): LocatedFeedback[] {
  let size: number;
  try {
    size = statSync(file).size;
  } catch (err) {
    throw new FeedbackError({ what: `Cannot read the feedback file ${file}.`, why: (err as Error).message, fix: 'Check the path of the feedback source.', file, cause: err });
  }
  if (size > MAX_FEEDBACK_BYTES) {
    throw new FeedbackError({
      what: `The feedback file ${file} is ${(size / 2 ** 20).toFixed(0)} MiB, more than the ${MAX_FEEDBACK_BYTES / 2 ** 20} MiB read.`,
      why: 'Feedback holds error records, not data.',
      fix: 'Keep only the error records in it, or split it.',
      file,
    });
  }
  const out: LocatedFeedback[] = [];
  const lines = readFileSync(file, 'utf8').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i].trim();
    if (!text) continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      throw new FeedbackError({ what: `${file}:${i + 1}: not a JSON record.`, why: (err as Error).message, fix: 'Write one JSON object per line (JSON Lines).', file, line: i + 1 });
    }
    out.push({ record: parseFeedbackRecord(value, { file, line: i + 1 }), file, line: i + 1 });
  }
  return out;
}

/** The records of a feedback source's stored rows (checked like the file; `line` is the record's position). */
export function feedbackOfRows(rows: readonly Row[], name: string): FeedbackRecord[] {
  return rows.map((row, i) => parseFeedbackRecord(row, { file: name, line: i + 1 }));
}
