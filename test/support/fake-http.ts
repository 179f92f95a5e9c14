import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * What the local fake OpenAI-compatible servers (chat completions, images) share: reading a
 * request's body, answering JSON in OpenAI's error shape, scripted failures, listening on
 * 127.0.0.1 and closing with every connection.
 */

/** A request as the fake servers see it: the body as text, read whole. */
export interface IncomingRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  headers: IncomingHttpHeaders;
  text: string;
}

/** How a fake server answers: JSON, or an error as OpenAI words it (`{ error: { message, type, param, code } }`). */
export interface JsonReply {
  send(status: number, payload: unknown, headers?: Record<string, string>): void;
  error(status: number, message: string, type: string, code: string | null, headers?: Record<string, string>): void;
  /** The raw response, for bytes (downloads) or hanging up. */
  res: ServerResponse;
}

/** A scripted failure: its HTTP status, Retry-After (seconds or ms), error code and message. */
export interface ScriptedFailure {
  status: number;
  retryAfterSeconds?: number;
  retryAfterMs?: number;
  code?: string;
  message?: string;
}

/** Answers a scripted failure as OpenAI does: 429 `rate_limit_exceeded`, 5xx `server_error`, else `invalid_request_error`. */
export function sendFailure(reply: JsonReply, step: ScriptedFailure): void {
  const headers: Record<string, string> = {};
  if (step.retryAfterMs !== undefined) headers['retry-after-ms'] = String(step.retryAfterMs);
  if (step.retryAfterSeconds !== undefined) headers['retry-after'] = String(step.retryAfterSeconds);
  const type = step.status === 429 ? 'rate_limit_exceeded' : step.status >= 500 ? 'server_error' : 'invalid_request_error';
  reply.error(step.status, step.message ?? `Scripted ${step.status}`, type, step.code ?? null, headers);
}

/** A listening fake server: its origin (`http://127.0.0.1:PORT`) and how to stop it. */
export interface JsonServer {
  origin: string;
  close(): Promise<void>;
}

/** Starts an HTTP server on 127.0.0.1 (`port`, default any free one) calling `handle` once each request's body has arrived. */
export async function startJsonServer(port: number | undefined, handle: (request: IncomingRequest, reply: JsonReply) => Promise<void>): Promise<JsonServer> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
        if (res.destroyed) return;
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(payload));
      };
      const reply: JsonReply = {
        send,
        error: (status, message, type, code, headers = {}) => send(status, { error: { message, type, param: null, code } }, headers),
        res,
      };
      const request = { method: req.method ?? 'GET', path: (req.url ?? '/').split('?')[0], headers: req.headers, text: Buffer.concat(chunks).toString('utf8') };
      void handle(request, reply);
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(port ?? 0, '127.0.0.1', resolve));
  const { port: bound } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${bound}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
