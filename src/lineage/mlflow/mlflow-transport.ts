import { type Dispatcher, Pool } from 'undici';
import { z } from 'zod';
import { parseRetryAfterMs, withRetry } from '../../engine/index.js';
import { MlflowError, MlflowErrorCode, errorCodeForStatus } from './mlflow-error.js';
import {
  type FailureKind,
  FailedAttempt,
  RetryOptionsSchema,
  type ResolvedRetryOptions,
  classifyConnectionError,
  classifyStatus,
  errorCodeOf,
  mlflowRetryPolicy,
} from './retry-policy.js';

/** Options of the HTTP layer under {@link MlflowClient}. */
export const MlflowTransportOptionsSchema = z.object({
  /**
   * Base URI of the tracking server; a path prefix is kept (for servers behind a reverse proxy).
   * Default: the `MLFLOW_TRACKING_URI` environment variable.
   * @example 'http://127.0.0.1:5000'
   */
  trackingUri: z.string().optional(),
  /**
   * Bearer token sent as `Authorization: Bearer <token>`. It is never logged, and never appears in
   * error messages. Default: the `MLFLOW_TRACKING_TOKEN` environment variable; none when unset.
   */
  token: z.string().optional(),
  /** Most keep-alive connections opened to the server. Default 8. */
  connections: z.number().int().min(1).default(8),
  /** Time allowed to open a TCP connection, in ms. Default 10000. */
  connectTimeoutMs: z.number().int().min(1).default(10_000),
  /** Time allowed between sending a request and receiving the response headers, in ms. Default 60000. */
  headersTimeoutMs: z.number().int().min(1).default(60_000),
  /** Longest silence while receiving a response body, in ms. Default 60000. */
  bodyTimeoutMs: z.number().int().min(1).default(60_000),
  /**
   * How long an idle connection is kept for reuse, in ms. Default 4000: below uvicorn's 5 s (MLflow 3's
   * default server), which closes idle sockets without announcing it. Reusing a socket the server just
   * closed fails a create with an ambiguous reset that cannot be retried safely.
   */
  keepAliveTimeoutMs: z.number().int().min(1).default(4_000),
  /** Retry of transient failures, see {@link RetryOptionsSchema}. Default: 4 retries from 250 ms. */
  retry: RetryOptionsSchema.default(RetryOptionsSchema.parse({})),
  /** `User-Agent` header. Default `synthgraph-mlflow-client`. */
  userAgent: z.string().default('synthgraph-mlflow-client'),
});
export type MlflowTransportOptions = z.input<typeof MlflowTransportOptionsSchema>;

/** One request to the server. */
export interface TransportRequest<T extends z.ZodType> {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path below the server's base, e.g. `/api/2.0/mlflow/runs/get`. */
  path: string;
  query?: Record<string, string | number | undefined>;
  /** JSON body (sent with `Content-Type: application/json`, as MLflow requires). */
  json?: unknown;
  /** Raw body for artifact uploads. */
  bytes?: Uint8Array;
  contentType?: string;
  /**
   * Whether sending the request twice has the same effect as once. Non-idempotent requests are
   * resent only when the server cannot have applied them (see `shouldRetry`).
   */
  idempotent: boolean;
  /** Response schema; lenient (unknown keys dropped, empty fields optional). */
  schema: T;
}

const MlflowErrorBodySchema = z.object({ error_code: z.string(), message: z.string().optional() });

/** Longest server message kept in an error (some embed whole SQL statements). */
const MAX_ERROR_MESSAGE_CHARS = 2_000;

/** HTTP with keep-alive, timeouts, retries and MLflow error mapping. Holds no secret in any message. */
export class MlflowTransport {
  /** The tracking URI without credentials, safe to print. */
  readonly displayUri: string;
  private readonly pool: Pool;
  private readonly basePath: string;
  private readonly headers: Record<string, string>;
  private readonly secrets: string[];
  private readonly retry: ResolvedRetryOptions;
  /** Requests actually sent, retries included (for diagnostics and tests). */
  requestCount = 0;

  constructor(options: MlflowTransportOptions = {}) {
    const opts = MlflowTransportOptionsSchema.parse(options);
    const raw = opts.trackingUri ?? process.env.MLFLOW_TRACKING_URI;
    const url = parseTrackingUri(raw);
    const token = opts.token ?? (process.env.MLFLOW_TRACKING_TOKEN || undefined);
    this.headers = { 'user-agent': opts.userAgent };
    this.secrets = [];
    if (token) {
      this.headers.authorization = `Bearer ${token}`;
      this.secrets.push(token);
    }
    if (url.username || url.password) {
      // Credentials in the URI become Basic auth; they must not stay in anything we print.
      const user = decodeURIComponent(url.username);
      const pass = decodeURIComponent(url.password);
      if (!token) this.headers.authorization = `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
      if (pass) this.secrets.push(pass, url.password);
      url.username = '';
      url.password = '';
    }
    this.basePath = url.pathname.replace(/\/+$/, '');
    this.displayUri = `${url.origin}${this.basePath}`;
    this.retry = opts.retry;
    this.pool = new Pool(url.origin, {
      connections: opts.connections,
      connectTimeout: opts.connectTimeoutMs,
      headersTimeout: opts.headersTimeoutMs,
      bodyTimeout: opts.bodyTimeoutMs,
      keepAliveTimeout: opts.keepAliveTimeoutMs,
    });
  }

  /** Sends a request, retrying transient failures, and returns the parsed JSON response. */
  async request<T extends z.ZodType>(req: TransportRequest<T>): Promise<z.output<T>> {
    const endpoint = `${req.method} ${req.path}`;
    try {
      return await withRetry(() => this.attempt(req, endpoint), mlflowRetryPolicy(this.retry, req.idempotent));
    } catch (err) {
      throw err instanceof FailedAttempt ? err.error : err;
    }
  }

  /** One attempt: the parsed response, or a `FailedAttempt` saying what the failure means for a retry. */
  private async attempt<T extends z.ZodType>(req: TransportRequest<T>, endpoint: string): Promise<z.output<T>> {
    let res: Dispatcher.ResponseData;
    let text: string;
    try {
      this.requestCount++;
      res = await this.pool.request({
        method: req.method,
        path: this.buildPath(req.path, req.query),
        headers: this.requestHeaders(req),
        body: req.json !== undefined ? JSON.stringify(req.json) : req.bytes,
      });
      text = await res.body.text();
    } catch (err) {
      // Errors without a code are bugs (ours or undici's), not network trouble: let them surface as they are.
      if (err instanceof MlflowError || errorCodeOf(err) === undefined) throw err;
      const kind = classifyConnectionError(err) ?? { transient: false, maybeApplied: true };
      throw new FailedAttempt(kind, this.connectionError(err, endpoint, kind, req.idempotent));
    }
    if (res.statusCode >= 200 && res.statusCode < 300) return this.parseResponse(req.schema, text, endpoint);
    const kind = classifyStatus(res.statusCode);
    throw new FailedAttempt(kind, this.httpError(res.statusCode, text, endpoint, kind, req.idempotent), parseRetryAfterMs(res.headers['retry-after']));
  }

  /** Closes the keep-alive connections. */
  async close(): Promise<void> {
    await this.pool.close();
  }

  /** Aborts requests in flight and closes every connection (a caller's deadline passed). */
  async destroy(): Promise<void> {
    await this.pool.destroy();
  }

  private buildPath(path: string, query: TransportRequest<z.ZodType>['query']): string {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) params.append(k, String(v));
    const qs = params.toString();
    return `${this.basePath}${path}${qs ? `?${qs}` : ''}`;
  }

  private requestHeaders(req: TransportRequest<z.ZodType>): Record<string, string> {
    const headers = { ...this.headers };
    if (req.json !== undefined) headers['content-type'] = 'application/json';
    else if (req.bytes !== undefined) headers['content-type'] = req.contentType ?? 'application/octet-stream';
    return headers;
  }

  private parseResponse<T extends z.ZodType>(schema: T, text: string, endpoint: string): z.output<T> {
    let json: unknown;
    try {
      json = text.trim() === '' ? {} : JSON.parse(text);
    } catch (cause) {
      throw new MlflowError({
        errorCode: MlflowErrorCode.INVALID_RESPONSE,
        endpoint,
        message: `response is not JSON: ${this.redact(text.slice(0, 200))}`,
        fix: `Check that ${this.displayUri} is an MLflow tracking server (not a proxy page).`,
        cause,
      });
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      throw new MlflowError({
        errorCode: MlflowErrorCode.INVALID_RESPONSE,
        endpoint,
        message: `unexpected response shape: ${z.prettifyError(parsed.error)}`,
        fix: 'Use an MLflow 3.x tracking server (scripts/setup-mlflow.sh installs the tested version).',
      });
    }
    return parsed.data;
  }

  private httpError(status: number, text: string, endpoint: string, kind: FailureKind, idempotent: boolean): MlflowError {
    let errorCode: string = errorCodeForStatus(status);
    let message = text.trim() || `HTTP ${status}`;
    try {
      const body = MlflowErrorBodySchema.safeParse(JSON.parse(text));
      if (body.success) {
        errorCode = body.data.error_code;
        message = body.data.message ?? message;
      }
    } catch {
      // Plain text (the security middleware's 403, a disabled artifact proxy's 503, a proxy page): keep the text.
    }
    return new MlflowError({
      status,
      errorCode,
      endpoint,
      message: this.redact(message).slice(0, MAX_ERROR_MESSAGE_CHARS),
      retryable: kind.transient,
      maybeApplied: kind.maybeApplied && !idempotent,
    });
  }

  private connectionError(err: unknown, endpoint: string, kind: FailureKind, idempotent: boolean): MlflowError {
    const code = errorCodeOf(err) ?? 'unknown';
    const detail = err instanceof Error ? err.message : String(err);
    return new MlflowError({
      errorCode: MlflowErrorCode.CONNECTION_ERROR,
      endpoint,
      message: this.redact(`${code}: ${detail}`),
      what: `Could not reach the MLflow tracking server at ${this.displayUri} (${endpoint}).`,
      retryable: kind.transient,
      maybeApplied: kind.maybeApplied && !idempotent,
      cause: err,
    });
  }

  /** Removes any secret a server or socket error might echo. */
  private redact(text: string): string {
    let out = text;
    for (const s of this.secrets) if (s) out = out.split(s).join('***');
    return out.replace(/(authorization\s*[:=]\s*)(bearer|basic)?\s*\S+/gi, '$1***');
  }
}

function parseTrackingUri(raw: string | undefined): URL {
  const fix = 'Pass trackingUri (e.g. http://127.0.0.1:5000) or set MLFLOW_TRACKING_URI.';
  if (!raw) {
    throw new MlflowError({
      errorCode: MlflowErrorCode.INVALID_INPUT,
      endpoint: 'config',
      message: 'no tracking URI given',
      what: 'No MLflow tracking URI is configured.',
      fix,
    });
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    url = new URL('invalid:');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new MlflowError({
      errorCode: MlflowErrorCode.INVALID_INPUT,
      endpoint: 'config',
      message: `tracking URI must be http(s), got ${JSON.stringify(raw.replace(/\/\/[^@/]*@/, '//***@'))}`,
      what: 'The MLflow tracking URI is not an http(s) URL.',
      why: 'This client talks to a tracking server over REST; file: and databricks URIs are not supported.',
      fix,
    });
  }
  return url;
}
