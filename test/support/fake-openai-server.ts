import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { sendFailure, startJsonServer, type ScriptedFailure } from './fake-http.js';

/**
 * A real HTTP server speaking the OpenAI chat-completions wire format on 127.0.0.1, for
 * tests and benchmarks of the openai generator through the real SDK. Rows come from a
 * pluggable factory (default: made from the JSON schema of the request, deterministic by
 * seed); scripted behaviours inject 429s, 5xx, bad content, latency and so on.
 */

type Json = Record<string, unknown>;

/** What the server saw of one request. */
export interface RecordedRequest {
  /** 1-based number of the request among all received. */
  index: number;
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: Json | null;
  /** sha256 of the raw body text. */
  hash: string;
  /** How many times this exact body was received, this one included. */
  occurrence: number;
}

/** What the row factory is told about a request. */
export interface RowFactoryInput {
  /** JSON schema of one row (from response_format, or from the prompt in json_object mode); null if none found. */
  rowSchema: Json | null;
  /** Rows asked for ("exactly N rows" in the prompt; 5 if not found). */
  count: number;
  /** The request's `seed` (0 when absent). */
  seed: number;
  request: RecordedRequest;
}

export type RowFactory = (input: RowFactoryInput) => unknown[];

/** A scripted answer for one request; `undefined` from the script means a normal answer. */
export type Behaviour =
  /** An HTTP error status, e.g. 429 with Retry-After, 500, 401. */
  | ScriptedFailure
  /** A 200 whose message content is this exact text (malformed JSON, prose ignoring the schema...). */
  | { content: string; finishReason?: string }
  /** A 200 with these rows as `{"rows": [...]}`. */
  | { rows: unknown[] }
  /** Wait, then answer normally. */
  | { delayMs: number }
  /** Hold the answer until this settles (orders answers by events, not by clocks). */
  | { until: Promise<unknown> }
  /** Close the connection without answering. */
  | { hangUp: true };

export interface FakeOpenAIServerOptions {
  rowFactory?: RowFactory;
  /** Delay before each answer, in ms. Default 0. */
  latencyMs?: number;
  /** Per-request behaviour; may return a list of steps to combine a delay with an answer. */
  script?: (request: RecordedRequest) => Behaviour | Behaviour[] | undefined;
  /** Models the server has: others get 404 model_not_found. Default: any model. */
  models?: string[];
  /** When set, requests without `Authorization: Bearer <key>` get 401. */
  requireKey?: string;
  /** `system_fingerprint` of answers. Default 'fp_fake'. */
  systemFingerprint?: string;
  /** Port to listen on. Default 0 (any free port). A fixed port keeps base URLs, and so cache keys, stable across restarts. */
  port?: number;
  /** Called when a request arrives (before it is answered). */
  onRequest?: (request: RecordedRequest) => void;
}

export interface FakeOpenAIServer {
  /** Base URL ending in /v1, for `baseURL`. */
  url: string;
  /** Every request received, in arrival order. */
  requests: RecordedRequest[];
  /** Chat-completion requests received (retries included). */
  readonly chatRequests: number;
  /** Distinct chat-completion bodies received. */
  readonly distinctBodies: number;
  /** Chat-completion requests answered with a 200. */
  readonly completed: number;
  reset(): void;
  close(): Promise<void>;
}

export async function startFakeOpenAIServer(options: FakeOpenAIServerOptions = {}): Promise<FakeOpenAIServer> {
  const requests: RecordedRequest[] = [];
  const seen = new Map<string, number>();
  let completed = 0;
  let created = 1_700_000_000;
  const http = await startJsonServer(options.port, async ({ method, path, headers, text }, reply) => {
    const hash = createHash('sha256').update(text).digest('hex');
    const occurrence = (seen.get(hash) ?? 0) + 1;
    seen.set(hash, occurrence);
    let body: Json | null = null;
    try {
      body = text ? (JSON.parse(text) as Json) : null;
    } catch {
      body = null;
    }
    const recorded: RecordedRequest = { index: requests.length + 1, method, path, headers, body, hash, occurrence };
    requests.push(recorded);
    options.onRequest?.(recorded);
    const { send, error, res } = reply;

    if (options.requireKey && headers.authorization !== `Bearer ${options.requireKey}`) {
      // Echoes the token it got, as careless servers do: the generator must redact it.
      const got = String(headers.authorization ?? '').replace(/^Bearer /, '');
      return error(401, `Incorrect API key provided: ${got}. You can find your API key at https://platform.openai.com/account/api-keys.`, 'invalid_request_error', 'invalid_api_key');
    }
    if (method === 'GET' && path === '/v1/models') {
      return send(200, { object: 'list', data: (options.models ?? ['fake-model']).map((id) => ({ id, object: 'model', created: 1_700_000_000, owned_by: 'fake' })) });
    }
    if (method !== 'POST' || path !== '/v1/chat/completions' || !body) {
      return error(404, `Unknown request: ${method} ${path}`, 'invalid_request_error', null);
    }
    const steps = options.script?.(recorded);
    const list = steps === undefined ? [] : Array.isArray(steps) ? steps : [steps];
    const delay = (options.latencyMs ?? 0) + list.reduce((n, s) => n + ('delayMs' in s ? s.delayMs : 0), 0);
    if (delay > 0) await new Promise((r) => setTimeout(r, delay));
    for (const s of list) if ('until' in s) await s.until;
    const step = list.find((s) => !('delayMs' in s) && !('until' in s));
    if (step && 'hangUp' in step) return void res.socket?.destroy();
    if (step && 'status' in step) return sendFailure(reply, step);
    const model = String(body.model ?? '');
    if (options.models && !options.models.includes(model)) {
      return error(404, `The model \`${model}\` does not exist or you do not have access to it.`, 'invalid_request_error', 'model_not_found');
    }
    const seed = typeof body.seed === 'number' ? body.seed : 0;
    let content: string;
    let finishReason = 'stop';
    if (step && 'content' in step) {
      content = step.content;
      finishReason = step.finishReason ?? 'stop';
    } else {
      const rows =
        step && 'rows' in step ? step.rows : (options.rowFactory ?? defaultRowFactory)({ rowSchema: rowSchemaOf(body), count: requestedCount(body), seed, request: recorded });
      content = JSON.stringify({ rows });
    }
    completed++;
    const promptTokens = Math.ceil(text.length / 4);
    const completionTokens = Math.ceil(content.length / 4);
    send(200, {
      id: `chatcmpl-fake-${recorded.index}`,
      object: 'chat.completion',
      created: created++,
      model: model.includes('-20') ? model : `${model}-2024-07-18`,
      system_fingerprint: options.systemFingerprint ?? 'fp_fake',
      choices: [{ index: 0, message: { role: 'assistant', content, refusal: null }, logprobs: null, finish_reason: finishReason }],
      usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens },
    });
  });
  const chat = () => requests.filter((r) => r.path === '/v1/chat/completions');
  return {
    url: `${http.origin}/v1`,
    requests,
    get chatRequests() {
      return chat().length;
    },
    get distinctBodies() {
      return new Set(chat().map((r) => r.hash)).size;
    },
    get completed() {
      return completed;
    },
    reset() {
      requests.length = 0;
      seen.clear();
      completed = 0;
    },
    close: () => http.close(),
  };
}

/** The prompt says "exactly N rows". */
export function requestedCount(body: Json): number {
  const messages = (body.messages as Array<{ content?: string }> | undefined) ?? [];
  for (const m of messages) {
    const match = /exactly (\d+) rows/i.exec(m.content ?? '');
    if (match) return Number(match[1]);
  }
  return 5;
}

/** JSON schema of one row: from the json_schema response format, else from a ```json block in the prompt. */
export function rowSchemaOf(body: Json): Json | null {
  const format = body.response_format as { type?: string; json_schema?: { schema?: Json } } | undefined;
  const root = format?.json_schema?.schema;
  if (root) {
    const items = ((root.properties as Json | undefined)?.rows as Json | undefined)?.items as Json | undefined;
    return items ? resolveRefs(items, root) : null;
  }
  for (const m of (body.messages as Array<{ content?: string }> | undefined) ?? []) {
    const match = /```json\n([\s\S]*?)\n```/.exec(m.content ?? '');
    if (match) return JSON.parse(match[1]) as Json;
  }
  return null;
}

function resolveRefs(schema: Json, root: Json): Json {
  const ref = schema.$ref;
  if (typeof ref === 'string' && ref.startsWith('#/')) {
    let target: unknown = root;
    for (const part of ref.slice(2).split('/')) target = (target as Json)[decodeURIComponent(part)];
    return resolveRefs(target as Json, root);
  }
  return schema;
}

/**
 * Rows made from the schema: strings carry seed and position (so rows are distinct),
 * numbers sit inside their bounds, enums cycle.
 */
export const defaultRowFactory: RowFactory = ({ rowSchema, count, seed }) => {
  const rows: unknown[] = [];
  for (let i = 0; i < count; i++) rows.push(valueFor(rowSchema ?? { type: 'object', properties: {} }, `s${seed}r${i}`, seed + i));
  return rows;
};

function valueFor(schema: Json, tag: string, n: number): unknown {
  if (Array.isArray(schema.anyOf)) {
    const options = (schema.anyOf as Json[]).filter((o) => o.type !== 'null');
    return valueFor(options[0] ?? { type: 'null' }, tag, n);
  }
  if (Array.isArray(schema.enum)) return schema.enum[n % schema.enum.length];
  if ('const' in schema) return schema.const;
  const type = Array.isArray(schema.type) ? (schema.type as string[]).find((t) => t !== 'null') : schema.type;
  switch (type) {
    case 'object': {
      const out: Json = {};
      for (const [k, v] of Object.entries((schema.properties as Record<string, Json>) ?? {})) out[k] = valueFor(v, `${k}-${tag}`, n);
      return out;
    }
    case 'array': {
      const count = Math.max(typeof schema.minItems === 'number' ? schema.minItems : 0, 2);
      return Array.from({ length: count }, (_, i) => valueFor((schema.items as Json) ?? {}, `${tag}-${i}`, n + i));
    }
    case 'integer':
    case 'number': {
      const lo = num(schema.minimum) ?? (num(schema.exclusiveMinimum) !== undefined ? num(schema.exclusiveMinimum)! + 1 : 1);
      const hi = num(schema.maximum) ?? (num(schema.exclusiveMaximum) !== undefined ? num(schema.exclusiveMaximum)! - 1 : lo + 1000);
      const span = Math.max(0, hi - lo);
      const v = lo + ((n * 7919) % (Math.floor(span) + 1));
      return type === 'integer' ? Math.round(v) : v;
    }
    case 'boolean':
      return n % 2 === 0;
    case 'null':
      return null;
    default:
      return tag;
  }
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Math.abs(v) < 1e15 ? v : undefined;
}
