import { describeRules, renderPromptTemplate, type PromptFile } from '../../rules/index.js';
import type { BatchFormat } from './response-format.js';

/** A chat message as sent (plain JSON, hashed into the request key). */
export interface ChatMessage {
  role: 'system' | 'user';
  content: string;
}

/** Where a batch sits in the run: both numbers are in the prompt, so every request is distinct. */
export interface BatchPosition {
  /** The batch this request belongs to: its first request's number (0, 1, 2, ...); a regeneration keeps its batch's number. */
  batch: number;
  /** 0 for the batch's first request, then 1, 2, ... for the attempts that replace its rejected rows. */
  round: number;
  /** Which request of the attempt (an attempt is split into several when the server returns fewer rows than asked). */
  part: number;
  /** Rows asked for in this request. */
  rows: number;
}

/** Marks the JSON schema block in json_object prompts (servers that do not take a schema read it there). */
export const ROW_SCHEMA_HEADING = 'JSON schema of one row:';

/**
 * The system message of a dataset's requests: the output shape, the field descriptions and
 * column hints, the rules (and the row schema in json_object mode). The same for every batch
 * of a run, so it is built once per run.
 */
export function buildSystemMessage(asset: string, prompt: PromptFile, format: BatchFormat): ChatMessage {
  const system: string[] = [
    `You generate synthetic data rows for the dataset "${asset}"${prompt.domain ? ` (domain: ${prompt.domain})` : ''}.`,
    'Answer with one JSON object of the form {"rows": [ ... ]} and nothing else.',
    'Each row is an object with exactly these fields:',
    ...format.fieldDescriptions,
  ];
  const hints = Object.entries(prompt.columns ?? {}).filter(([, h]) => h && Object.keys(h).length > 0);
  if (hints.length > 0) system.push('', 'Hints per field:', ...hints.map(([field, h]) => `- ${field}: ${JSON.stringify(h)}`));
  if (prompt.rules.length > 0) system.push('', 'Every row must satisfy all of these rules:', describeRules(prompt.rules));
  if (format.responseFormat.type === 'json_object') {
    system.push('', ROW_SCHEMA_HEADING, '```json', JSON.stringify(format.rowJsonSchema), '```');
  }
  return { role: 'system', content: system.join('\n') };
}

/**
 * The user message of one batch: the prompt file's template (with its variables and
 * `rows` = the batch size) and the batch position.
 */
export function buildUserMessage(prompt: PromptFile, position: BatchPosition): ChatMessage {
  const template = renderedTemplate(prompt, position.rows);
  const user = [
    template.trim(),
    '',
    `Return exactly ${position.rows} rows.`,
    `This is batch ${batchLabel(position)} of the dataset: make every row realistic, varied and different from the rows of other batches.`,
  ].join('\n');
  return { role: 'user', content: user };
}

/** Rendered templates per prompt and row count: a 5,000-request run renders two distinct texts, not 5,000. */
const renderings = new WeakMap<PromptFile, Map<number, string>>();

function renderedTemplate(prompt: PromptFile, rows: number): string {
  let byRows = renderings.get(prompt);
  if (!byRows) renderings.set(prompt, (byRows = new Map()));
  let text = byRows.get(rows);
  if (text === undefined) byRows.set(rows, (text = renderPromptTemplate(prompt, { rows })));
  return text;
}

/** How a request is named in prompts and reports: `7`, `7 (regeneration round 1)`, `7 (regeneration round 2, part 3)`. */
export function batchLabel(position: BatchPosition): string {
  if (position.round === 0 && position.part === 0) return String(position.batch);
  return `${position.batch} (regeneration round ${position.round}${position.part > 0 ? `, part ${position.part}` : ''})`;
}
