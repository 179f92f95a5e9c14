import { isMap, isSeq, parseDocument } from 'yaml';
import type { NoiseSettings } from '../noise/index.js';

/** What the next prompt version changes in the old file's text. */
export interface PromptEdits {
  id: string;
  version: string | number;
  derivedFrom: string;
  /** New hints of re-fitted columns (whole hint mappings). */
  columns: Map<string, Record<string, unknown>>;
  /** Rules appended after the old ones. */
  rules: string[];
  /** The new noise block (undefined: left as it was). */
  noise?: NoiseSettings;
  /** One line per change, kept in the file as `evidence:`. */
  evidence: string[];
}

/** Plain data for the YAML writer (null-prototype maps become ordinary mappings). */
const plain = (v: unknown): unknown => JSON.parse(JSON.stringify(v));

/**
 * The next version's text: the old file edited in place by the yaml package's document model,
 * so its comments, order and styles stay and the diff shows only what changed.
 */
export function nextPromptText(oldContent: string, edits: PromptEdits): string {
  const doc = parseDocument(oldContent);
  doc.set('prompt_id', edits.id);
  doc.set('version', edits.version);
  doc.set('derived_from', edits.derivedFrom);
  if (edits.columns.size) {
    if (!isMap(doc.get('columns'))) doc.set('columns', doc.createNode({}));
    for (const [column, hints] of edits.columns) doc.setIn(['columns', column], doc.createNode(plain(hints)));
  }
  if (edits.rules.length) {
    const rules = doc.get('rules');
    if (isSeq(rules)) for (const r of edits.rules) rules.add(doc.createNode(r));
    else doc.set('rules', doc.createNode(edits.rules));
  }
  if (edits.noise) doc.set('noise', doc.createNode(plain(edits.noise)));
  doc.set('evidence', doc.createNode(edits.evidence));
  return doc.toString({ lineWidth: 0 });
}
