/** Why a whole response yielded no rows. */
export const ResponseFailure = {
  malformedJson: 'malformed_json',
  notRowsObject: 'not_rows_object',
  truncated: 'truncated',
  refusal: 'refusal',
  contentFilter: 'content_filter',
  empty: 'empty',
} as const;
export type ResponseFailure = (typeof ResponseFailure)[keyof typeof ResponseFailure];

/** What one chat completion gave. */
export interface BatchResponse {
  /** The rows array, unchecked; empty when `failure` is set. */
  rows: unknown[];
  failure?: ResponseFailure;
  /** Short explanation of the failure, with the start of the content. */
  detail?: string;
  model: string | null;
  system_fingerprint: string | null;
  usage: { prompt_tokens: number; completion_tokens: number };
}

interface CompletionLike {
  model?: unknown;
  system_fingerprint?: unknown;
  usage?: { prompt_tokens?: unknown; completion_tokens?: unknown } | null;
  choices?: Array<{ finish_reason?: unknown; message?: { content?: unknown; refusal?: unknown } }>;
}

/**
 * Reads the `{ "rows": [...] }` answer of a completion, from the network or the cache alike.
 * Does what the SDK's `parse()` checks do (length and content-filter finish reasons, refusals)
 * without throwing, so a bad answer is counted and its batch regenerated instead of failing.
 */
export function readBatchResponse(raw: unknown): BatchResponse {
  const c = (raw ?? {}) as CompletionLike;
  const base = {
    model: typeof c.model === 'string' ? c.model : null,
    system_fingerprint: typeof c.system_fingerprint === 'string' ? c.system_fingerprint : null,
    usage: { prompt_tokens: toCount(c.usage?.prompt_tokens), completion_tokens: toCount(c.usage?.completion_tokens) },
  };
  const fail = (failure: ResponseFailure, detail: string): BatchResponse => ({ ...base, rows: [], failure, detail });
  const choice = c.choices?.[0];
  if (!choice?.message) return fail(ResponseFailure.empty, 'the response has no choices');
  if (choice.finish_reason === 'length') return fail(ResponseFailure.truncated, 'the answer was cut at max_tokens (finish_reason "length"): lower batchSize or raise max_tokens');
  if (choice.finish_reason === 'content_filter') return fail(ResponseFailure.contentFilter, 'the answer was blocked by the content filter');
  if (typeof choice.message.refusal === 'string' && choice.message.refusal) return fail(ResponseFailure.refusal, `the model refused: ${snippet(choice.message.refusal)}`);
  const content = choice.message.content;
  if (typeof content !== 'string' || content.trim() === '') return fail(ResponseFailure.empty, 'the message content is empty');
  let parsed: unknown;
  try {
    parsed = JSON.parse(stripFence(content));
  } catch {
    return fail(ResponseFailure.malformedJson, `the content is not JSON: ${snippet(content)}`);
  }
  const rows = (parsed as { rows?: unknown } | null)?.rows;
  if (!parsed || typeof parsed !== 'object' || !Array.isArray(rows)) {
    return fail(ResponseFailure.notRowsObject, `the content is JSON but not {"rows": [...]}: ${snippet(content)}`);
  }
  return { ...base, rows };
}

/** Servers in json_object mode sometimes wrap the JSON in a markdown fence; accept that. */
function stripFence(content: string): string {
  const m = /^\s*```(?:json)?\s*\n([\s\S]*?)\n\s*```\s*$/.exec(content);
  return m ? m[1] : content;
}

function snippet(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return JSON.stringify(flat.length > 120 ? `${flat.slice(0, 120)}…` : flat);
}

function toCount(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : 0;
}
