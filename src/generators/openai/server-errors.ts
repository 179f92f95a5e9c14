import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  AuthenticationError,
  BadRequestError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
} from 'openai';
import { MaterializationError, parseRetryAfterMs, RetryableError, type SynthError } from '../../engine/index.js';
import { redactKey, type ServerEndpoint } from './server-endpoint.js';

/** Whether our retry loop should try a failed request again. */
export function isTransient(err: unknown): boolean {
  if (err instanceof APIUserAbortError) return false;
  if (err instanceof APIConnectionError) return true; // includes timeouts
  if (err instanceof RateLimitError) return !isQuotaExhausted(err);
  if (err instanceof APIError) return err.status === 408 || err.status === 409 || (err.status ?? 0) >= 500;
  return false;
}

/** OpenAI answers 429 `insufficient_quota` when the account has no credit: retrying never helps. */
function isQuotaExhausted(err: APIError): boolean {
  return (err.code ?? (err.error as { code?: string } | undefined)?.code) === 'insufficient_quota';
}

/**
 * Delay the server asked for, from `retry-after-ms` (OpenAI's) or `Retry-After` (seconds or an
 * HTTP date). Null when absent or unparseable.
 */
export function retryAfterMs(err: unknown): number | null {
  const headers = err instanceof APIError ? err.headers : undefined;
  if (!headers) return null;
  const ms = Number.parseFloat(headers.get('retry-after-ms') ?? '');
  if (Number.isFinite(ms) && ms >= 0) return ms;
  return parseRetryAfterMs(headers.get('retry-after')) ?? null;
}

/** What we know when turning a server error into ours. */
export interface ErrorContext {
  asset: string;
  endpoint: ServerEndpoint;
  model: string;
  timeoutMs: number;
  /** Models the server lists, when a 404 made us ask (best effort). */
  availableModels?: string[];
}

/**
 * Turns an SDK error into a synthgraph error naming the dataset and the server, with the key
 * redacted from any text the server sent back. Transient failures become RetryableError.
 */
export function toSynthError(err: unknown, ctx: ErrorContext): SynthError {
  const facts: ErrorFacts = {
    ...ctx,
    server: ctx.endpoint.baseURL,
    said: (e) => redactKey(String(e.message ?? ''), ctx.endpoint),
    // The cause is rebuilt from the redacted text: the SDK error object is not kept.
    cause: err instanceof Error ? new Error(redactKey(err.message, ctx.endpoint)) : undefined,
  };
  return connectionProblem(err, facts) ?? refusal(err, facts) ?? rateLimited(err, facts) ?? badRequest(err, facts) ?? serverFailure(err, facts);
}

/** The context with what every message uses: the server, the redacted text it sent, the redacted cause. */
interface ErrorFacts extends ErrorContext {
  server: string;
  said(e: APIError): string;
  cause: Error | undefined;
}

/** No answer in time, or no connection at all: retryable. */
function connectionProblem(err: unknown, { asset, endpoint, server, timeoutMs, cause }: ErrorFacts): SynthError | undefined {
  if (err instanceof APIConnectionTimeoutError) {
    return new RetryableError({
      what: `Requests of dataset '${asset}' to ${server} timed out`,
      why: `No answer within ${timeoutMs} ms, after every retry.`,
      fix: 'Check that the server is not overloaded, lower batchSize or concurrency, or raise timeoutMs in the generator config. Re-running reuses the responses already cached.',
      asset,
      cause,
    });
  }
  if (err instanceof APIConnectionError) {
    return new RetryableError({
      what: `Cannot reach the LLM server ${server} for dataset '${asset}'`,
      why: redactKey(describeCause(err), endpoint),
      fix: endpoint.local
        ? 'Start the local server (e.g. `ollama serve`, vLLM or llama.cpp server) or fix baseURL / OPENAI_BASE_URL.'
        : 'Check the network and baseURL / OPENAI_BASE_URL, then re-run (cached responses are reused).',
      asset,
      cause,
    });
  }
  return undefined;
}

/** The key, the access or the model refused (401, 403, 404): retrying cannot help. */
function refusal(err: unknown, { asset, endpoint, model, server, said, cause, availableModels }: ErrorFacts): SynthError | undefined {
  if (err instanceof AuthenticationError) {
    return new MaterializationError({
      what: `The LLM server ${server} rejected the API key for dataset '${asset}' (401)`,
      why: said(err),
      fix: `Check the key in ${endpoint.apiKeyEnv} (it must be valid for this server), or set apiKeyEnv to the variable that holds it.`,
      asset,
      cause,
    });
  }
  if (err instanceof PermissionDeniedError) {
    return new MaterializationError({
      what: `The LLM server ${server} refused access for dataset '${asset}' (403)`,
      why: said(err),
      fix: `Check that the key in ${endpoint.apiKeyEnv} may use model '${model}' on this server.`,
      asset,
      cause,
    });
  }
  if (err instanceof NotFoundError) {
    const list = availableModels?.length ? ` Models this server has: ${availableModels.slice(0, 20).join(', ')}.` : '';
    return new MaterializationError({
      what: `Model '${model}' was not found on ${server} (dataset '${asset}', 404)`,
      why: said(err),
      fix: `Fix the model name in the dataset's generator config, or pull/serve it on the server.${list}`,
      asset,
      cause,
    });
  }
  return undefined;
}

/** A 429: an exhausted quota is final, a rate limit that outlasted every retry is retryable later. */
function rateLimited(err: unknown, { asset, endpoint, server, said, cause }: ErrorFacts): SynthError | undefined {
  if (!(err instanceof RateLimitError)) return undefined;
  if (isQuotaExhausted(err)) {
    return new MaterializationError({
      what: `The account behind ${endpoint.apiKeyEnv} has no quota left on ${server} (dataset '${asset}')`,
      why: said(err),
      fix: 'Add credit or use another key; cached responses are reused when you re-run.',
      asset,
      cause,
    });
  }
  return new RetryableError({
    what: `The LLM server ${server} kept rate-limiting dataset '${asset}' (429)`,
    why: `${said(err)} (still limited after every retry)`,
    fix: 'Lower concurrency or set rpm / tpm in the generator config, then re-run: cached responses are reused.',
    asset,
    cause,
  });
}

/** A 400, most often a response format the server does not take. */
function badRequest(err: unknown, { asset, server, said, cause }: ErrorFacts): SynthError | undefined {
  if (!(err instanceof BadRequestError)) return undefined;
  const text = said(err);
  const aboutFormat = /response_format|json_schema|structured/i.test(text);
  return new MaterializationError({
    what: `The LLM server ${server} rejected a request of dataset '${asset}' (400)`,
    why: text,
    fix: aboutFormat
      ? "This server does not take json_schema response formats: set structuredOutput: 'json_object' in the generator config."
      : 'Check the generator options (model, temperature, max_tokens) against what the server accepts.',
    asset,
    cause,
  });
}

/** Any other status (5xx, 408 and 409 are retryable), or an error that is not the SDK's. */
function serverFailure(err: unknown, { asset, endpoint, server, said, cause }: ErrorFacts): SynthError {
  if (err instanceof APIError) {
    const status = err.status ?? 0;
    const init = {
      what: `The LLM server ${server} failed for dataset '${asset}' (${status || 'no status'})`,
      why: said(err),
      fix: 'Re-run later: the responses received so far are cached and will not be requested again.',
      asset,
      cause,
    };
    return status >= 500 || status === 408 || status === 409 ? new RetryableError(init) : new MaterializationError(init);
  }
  return new MaterializationError({
    what: `Generating dataset '${asset}' with ${server} failed`,
    why: redactKey(err instanceof Error ? err.message : String(err), endpoint),
    asset,
    cause,
  });
}

function describeCause(err: Error): string {
  const inner = (err as { cause?: { code?: string; message?: string } }).cause;
  const code = inner?.code ?? (inner as { cause?: { code?: string } } | undefined)?.cause?.code;
  return [err.message, code ? `(${code})` : ''].filter(Boolean).join(' ');
}
