import { createHash } from 'node:crypto';
import { encode } from 'fast-png';
import { sendFailure, startJsonServer, type ScriptedFailure } from './fake-http.js';

/**
 * A real HTTP server speaking the OpenAI Images wire format (`POST /v1/images/generations`) on
 * 127.0.0.1, for tests and benchmarks through the real `openai` SDK. Each image is a small PNG
 * drawn from the prompt's hash (so different prompts give different pictures); scripted behaviours
 * inject 429 + Retry-After, 500, content-policy refusals and latency. In `url` mode the response
 * holds a link to `/files/<id>.png` on the same server, served once.
 */

type Json = Record<string, unknown>;

export interface RecordedImageRequest {
  index: number;
  path: string;
  body: Json | null;
  authorization: string | undefined;
  /** How many times this exact prompt was received, this one included. */
  occurrence: number;
}

export type ImageBehaviour = ScriptedFailure | { delayMs: number } | { blank: true } | { hangUp: true };

export interface FakeImagesServerOptions {
  /** Delay before each answer, in ms. Default 0. */
  latencyMs?: number;
  /** Side of the PNGs served, in pixels. Default 32. */
  side?: number;
  /** Prompts containing this text are refused with 400 content_policy_violation. */
  refuseContaining?: string;
  script?: (request: RecordedImageRequest) => ImageBehaviour | ImageBehaviour[] | undefined;
  /** Called when a generation request arrives, before it is answered. */
  onRequest?: (request: RecordedImageRequest) => void;
  /** Fixed port (keeps base URLs, hence request keys, stable across restarts). */
  port?: number;
}

export interface FakeImagesServer {
  url: string;
  requests: RecordedImageRequest[];
  /** Generation requests received (retries included). */
  readonly generations: number;
  /** Generation requests answered with an image (what a real server would bill). */
  readonly billed: number;
  /** Image file downloads served (url mode). */
  readonly downloads: number;
  reset(): void;
  close(): Promise<void>;
}

/** The pixels (RGB) of a small picture drawn from a text's hash: bands of colours, so two prompts differ. */
function pixelsForText(text: string, side: number, blank: boolean): Uint8Array {
  const hash = createHash('sha256').update(text).digest();
  const data = new Uint8Array(side * side * 3);
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const cell = blank ? 0 : (Math.floor(y / 4) * 8 + Math.floor(x / 4)) % 32;
      const p = (y * side + x) * 3;
      data[p] = hash[cell % 32];
      data[p + 1] = hash[(cell + 7) % 32];
      data[p + 2] = hash[(cell + 13) % 32];
    }
  }
  return data;
}

/** A small PNG drawn from a text's hash: bands of colours, so two prompts differ. */
export function pngForText(text: string, side = 32, blank = false): Uint8Array {
  return encode({ width: side, height: side, channels: 3, depth: 8, data: pixelsForText(text, side, blank) });
}

/** The same picture as {@link pngForText} in another format (`output_format` of gpt-image-1), encoded by sharp. */
export async function imageForText(text: string, format: 'png' | 'jpeg' | 'webp', side = 32, blank = false): Promise<Uint8Array> {
  if (format === 'png') return pngForText(text, side, blank);
  const { default: sharp } = await import('sharp');
  const image = sharp(Buffer.from(pixelsForText(text, side, blank)), { raw: { width: side, height: side, channels: 3 } });
  return new Uint8Array(await (format === 'jpeg' ? image.jpeg({ quality: 90 }) : image.webp({ quality: 90 })).toBuffer());
}

export async function startFakeImagesServer(options: FakeImagesServerOptions = {}): Promise<FakeImagesServer> {
  const requests: RecordedImageRequest[] = [];
  const seen = new Map<string, number>();
  const files = new Map<string, Uint8Array>();
  let billed = 0;
  let downloads = 0;
  const http = await startJsonServer(options.port, async ({ method, path, headers, text }, reply) => {
    const { send, error, res } = reply;
    if (method === 'GET' && path.startsWith('/files/')) {
      const bytes = files.get(path);
      if (!bytes) return error(404, 'expired', 'invalid_request_error', null);
      downloads++;
      res.writeHead(200, { 'content-type': `image/${path.split('.').pop()}`, 'content-length': String(bytes.length) });
      return void res.end(bytes);
    }
    let body: Json | null = null;
    try {
      body = JSON.parse(text) as Json;
    } catch {
      body = null;
    }
    if (method !== 'POST' || path !== '/v1/images/generations' || !body) return error(404, `Unknown request: ${method} ${path}`, 'invalid_request_error', null);
    const prompt = String(body.prompt ?? '');
    const occurrence = (seen.get(prompt) ?? 0) + 1;
    seen.set(prompt, occurrence);
    const recorded: RecordedImageRequest = { index: requests.length + 1, path, body, authorization: headers.authorization, occurrence };
    requests.push(recorded);
    options.onRequest?.(recorded);
    const steps = options.script?.(recorded);
    const list = steps === undefined ? [] : Array.isArray(steps) ? steps : [steps];
    const delay = (options.latencyMs ?? 0) + list.reduce((n, s) => n + ('delayMs' in s ? s.delayMs : 0), 0);
    if (delay > 0) await new Promise((r) => setTimeout(r, delay));
    const step = list.find((s) => !('delayMs' in s));
    if (step && 'hangUp' in step) return void res.socket?.destroy();
    if (step && 'status' in step) return sendFailure(reply, step);
    if (options.refuseContaining && prompt.includes(options.refuseContaining)) {
      return error(400, 'Your request was rejected as a result of our safety system.', 'invalid_request_error', 'content_policy_violation');
    }
    const model = String(body.model ?? '');
    // gpt-image-1 answers in the output_format asked for (png by default).
    const format = body.output_format === 'jpeg' || body.output_format === 'webp' ? body.output_format : 'png';
    const bytes = await imageForText(`${model}|${body.size}|${prompt}`, format, options.side ?? 32, !!(step && 'blank' in step));
    billed++;
    const revised = model.startsWith('dall-e-3') ? `A detailed photo: ${prompt}` : undefined;
    if (body.response_format === 'url') {
      const file = `/files/${recorded.index}.${format}`;
      files.set(file, bytes);
      return send(200, { created: 1_700_000_000, data: [{ url: `${http.origin}${file}?sig=abc`, ...(revised ? { revised_prompt: revised } : {}) }] });
    }
    send(200, {
      created: 1_700_000_000,
      data: [{ b64_json: Buffer.from(bytes).toString('base64'), ...(revised ? { revised_prompt: revised } : {}) }],
      ...(model.startsWith('gpt-image') ? { usage: { input_tokens: 20, output_tokens: 272, total_tokens: 292 } } : {}),
    });
  });
  const generations = () => requests.filter((r) => r.path === '/v1/images/generations');
  return {
    url: `${http.origin}/v1`,
    requests,
    get generations() {
      return generations().length;
    },
    get billed() {
      return billed;
    },
    get downloads() {
      return downloads;
    },
    reset() {
      requests.length = 0;
      seen.clear();
      billed = 0;
      downloads = 0;
    },
    close: () => http.close(),
  };
}
