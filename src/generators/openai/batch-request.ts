import { hashJson } from '../../engine/index.js';
import type { PromptFile } from '../../rules/index.js';
import { buildSystemMessage, buildUserMessage, type BatchPosition, type ChatMessage } from './batch-prompt.js';
import type { OpenAIGeneratorConfig } from './config.js';
import type { BatchFormat } from './response-format.js';

/** Bumped when the cache entry layout or the key recipe changes: old entries are then ignored. */
export const REQUEST_KEY_VERSION = 1;

/** The JSON body of `POST /chat/completions`, exactly as sent. */
export interface ChatCompletionBody {
  model: string;
  messages: ChatMessage[];
  response_format: BatchFormat['responseFormat'];
  seed: number;
  temperature?: number;
  top_p?: number;
  max_tokens?: number;
}

/** One planned request. */
export interface BatchRequest {
  position: BatchPosition;
  body: ChatCompletionBody;
  /** sha256 of the request's full content and the server: the name of its cache entry. */
  key: string;
  /** Rough size, for rate budgets, cost limits and `estimate()`: text length / 4, schema size × rows. */
  estimate: { prompt_tokens: number; completion_tokens: number };
}

/** What stays the same for every request of one dataset. */
export interface RequestContext {
  asset: string;
  prompt: PromptFile;
  config: OpenAIGeneratorConfig;
  format: BatchFormat;
  /** The dataset seed. */
  seed: number;
  /** Server base URL without credentials: part of the key (another server, other answers). */
  baseURL: string;
}

/**
 * Per-request seed from the dataset seed and the request's place (batch, round, part), in the
 * positive int32 range every server accepts. Each request gets its own seed so requests do not
 * repeat each other; a batch's first request keeps the recipe of earlier versions (its cached
 * answers stay valid).
 */
export function requestSeed(datasetSeed: number, position: BatchPosition): number {
  const { batch, round, part } = position;
  const source = round === 0 && part === 0 ? { seed: datasetSeed, batch } : { seed: datasetSeed, batch, round, part };
  return parseInt(hashJson(source).slice(0, 8), 16) & 0x7fffffff;
}

/** Builds the body and key of one batch request. The API key is never part of either. */
export function buildBatchRequest(ctx: RequestContext, position: BatchPosition): BatchRequest {
  const { config, format } = ctx;
  const shared = sharedParts(ctx);
  const user = buildUserMessage(ctx.prompt, position);
  const body: ChatCompletionBody = {
    model: config.model,
    messages: [shared.system, user],
    response_format: format.responseFormat,
    seed: requestSeed(ctx.seed, position),
    ...(config.temperature !== undefined ? { temperature: config.temperature } : {}),
    ...(config.top_p !== undefined ? { top_p: config.top_p } : {}),
    ...(config.max_tokens !== undefined ? { max_tokens: config.max_tokens } : {}),
  };
  // The response format (the row schema, the bulk of a body) enters the key through its own
  // digest: same content addressed, without re-sorting it per request.
  const key = hashJson({ v: REQUEST_KEY_VERSION, base_url: ctx.baseURL, path: '/chat/completions', body: { ...body, response_format: shared.formatDigest } });
  const promptChars = shared.fixedChars + user.content.length;
  return {
    position,
    body,
    key,
    estimate: { prompt_tokens: Math.ceil(promptChars / 4), completion_tokens: shared.rowTokens * position.rows },
  };
}

/** What every request of a run shares, computed on its first request (a 5,000-request run builds it once, not 5,000 times). */
interface SharedParts {
  system: ChatMessage;
  /** sha256 of the response format, standing for it in request keys. */
  formatDigest: string;
  /** Characters of the system message and the response format, for the prompt-token estimate. */
  fixedChars: number;
  /** Estimated completion tokens of one row: its JSON schema's length / 4. */
  rowTokens: number;
}

const sharedByContext = new WeakMap<RequestContext, SharedParts>();

function sharedParts(ctx: RequestContext): SharedParts {
  let shared = sharedByContext.get(ctx);
  if (!shared) {
    const system = buildSystemMessage(ctx.asset, ctx.prompt, ctx.format);
    shared = {
      system,
      formatDigest: hashJson(ctx.format.responseFormat),
      fixedChars: system.content.length + JSON.stringify(ctx.format.responseFormat).length,
      rowTokens: Math.ceil(JSON.stringify(ctx.format.rowJsonSchema).length / 4),
    };
    sharedByContext.set(ctx, shared);
  }
  return shared;
}
