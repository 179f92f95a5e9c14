import { setMaxListeners } from 'node:events';
import OpenAI, { APIError, BadRequestError } from 'openai';
import { MaterializationError, RetryAfterUse, SynthError, UsageError, withRetry } from '../engine/index.js';
import { RequestLimiter } from '../generators/openai/request-limiter.js';
import { RetryPolicy } from '../generators/openai/retry-policy.js';
import { redactKey, resolveEndpoint, type ServerEndpoint } from '../generators/openai/server-endpoint.js';
import { toSynthError } from '../generators/openai/server-errors.js';
import { DEFAULT_IMAGE_MODEL, type ImageGeneratorConfig } from './image-generator-config.js';
import { ImageCache, type ImageCacheEntry } from './image-cache.js';
import type { ImageJob } from './image-job.js';
import { imagePriceOf } from './image-prices.js';

/** Largest image accepted from a response or a URL (a 4K PNG is ~25 MB): anything bigger is a broken server. */
export const MAX_IMAGE_BYTES = 64 * 1024 * 1024;

/** Cache entries read between two yields to the event loop, so progress and signals stay live. */
const CACHE_READ_SLICE = 250;

/** A cached image whose object the store already holds whole: what the manifest needs, without reading its bytes. */
export interface StoredImage {
  sha256: string;
  bytes: number;
  width: number | null;
  height: number | null;
  format: string;
}

/** One image's outcome. */
export type ImageResult =
  | { job: ImageJob; outcome: 'image'; bytes: Uint8Array; revisedPrompt: string | null; modelServed: string; cached: boolean }
  | { job: ImageJob; outcome: 'stored'; image: StoredImage; revisedPrompt: string | null; modelServed: string; cached: true }
  | { job: ImageJob; outcome: 'refused'; refusal: string; cached: boolean };

/** What a run did, for the materialization's metadata. */
export interface ImageRunReport {
  results: ImageResult[];
  base_url: string;
  model: string;
  price_usd_per_image: number | null;
  requests: { sent: number; cached: number; retries: number; refused: number; downloads: number };
  cost_usd: number;
  cost_usd_this_run: number;
}

/** Everything the run needs besides the jobs. */
export interface ImageRunRequest {
  asset: string;
  size: string;
  config: ImageGeneratorConfig;
  stateDir: string;
  signal: AbortSignal;
  progress(done: number, total: number, detail?: Record<string, number>): void;
  warn(message: string): void;
  /**
   * Whether the object store holds this object whole (checked as the store checks objects it
   * relies on). When it does, a cached image's bytes are not read again. Default: never (bytes are
   * read from the cache and verified).
   */
  hasObject?(sha256: string, bytes: number): boolean;
}

/** The server and price of a run, and the request body each job sends. */
interface RunSetup {
  endpoint: ServerEndpoint;
  model: string;
  price: number | null;
  cache: ImageCache;
}

function prepare(request: Omit<ImageRunRequest, 'signal' | 'progress' | 'warn'>, env: NodeJS.ProcessEnv): RunSetup {
  const { config } = request;
  const model = config.model ?? DEFAULT_IMAGE_MODEL;
  const endpoint = resolveEndpoint({ baseURL: config.baseURL, apiKeyEnv: config.apiKeyEnv } as never, request.asset, env);
  return { endpoint, model, price: imagePriceOf(model, config.quality, request.size, config.prices), cache: new ImageCache(request.stateDir) };
}

const round = (usd: number) => Math.round(usd * 1e6) / 1e6;

/** Generates (or reads from the cache) one image per job through the OpenAI Images API. */
export async function generateOpenAIImages(request: ImageRunRequest, jobs: readonly ImageJob[], env: NodeJS.ProcessEnv = process.env): Promise<ImageRunReport> {
  const setup = prepare(request, env);
  if (request.config.maxCost !== undefined && setup.price === null) {
    request.warn(
      `Images asset '${request.asset}': no price is known for '${setup.model}' at ${request.config.quality ?? 'default quality'} ${request.size}, so maxCost cannot be enforced. Add it under prices: { '${setup.model}': { '${request.config.quality ?? 'standard'}': { '${request.size}': 0.04 } } } (USD per image).`,
    );
  }
  const sender = new ImageSender(setup, request, jobs.length);
  try {
    const results = await sender.run(jobs);
    return {
      results,
      base_url: setup.endpoint.baseURL,
      model: setup.model,
      price_usd_per_image: setup.price,
      requests: sender.counts,
      cost_usd: round(sender.spentUsd),
      cost_usd_this_run: round(sender.spentThisRunUsd),
    };
  } finally {
    await sender.close();
  }
}

/** Raised inside a request slot when the cost limit forbids sending it. */
class BudgetExhausted extends Error {}
/** Raised for requests not started because another one already failed for good. */
class StoppedEarly extends Error {}

/** Whether a failure is the safety system declining the prompt: recorded per row, never retried. */
export function isContentPolicyRefusal(err: unknown): err is APIError {
  if (!(err instanceof BadRequestError)) return false;
  const code = err.code ?? (err.error as { code?: string } | undefined)?.code;
  return code === 'content_policy_violation' || code === 'moderation_blocked';
}

class ImageSender {
  private client: OpenAI | null = null;
  private readonly limiter: RequestLimiter;
  private readonly retry: RetryPolicy;
  private readonly abort = new AbortController();
  private readonly forwardAbort = () => this.abort.abort(this.request.signal.reason);
  readonly counts = { sent: 0, cached: 0, retries: 0, refused: 0, downloads: 0 };
  spentUsd = 0;
  spentThisRunUsd = 0;
  private reservedUsd = 0;
  private inFlight = 0;
  private done = 0;
  private stopping = false;

  constructor(
    private readonly setup: RunSetup,
    private readonly request: ImageRunRequest,
    private readonly total: number,
  ) {
    const { config } = request;
    this.limiter = new RequestLimiter({ concurrency: config.concurrency, rpm: config.ipm });
    setMaxListeners(0, this.abort.signal);
    if (request.signal.aborted) this.forwardAbort();
    else request.signal.addEventListener('abort', this.forwardAbort, { once: true });
    this.retry = new RetryPolicy(config.maxRetries, this.abort.signal);
  }

  async run(jobs: readonly ImageJob[]): Promise<ImageResult[]> {
    const cached = new Map<string, ImageResult>();
    if (this.request.config.imageCache) {
      for (let i = 0; i < jobs.length; i += CACHE_READ_SLICE) {
        if (i > 0) await new Promise((resolve) => setImmediate(resolve));
        for (const job of jobs.slice(i, i + CACHE_READ_SLICE)) {
          const hit = this.fromCache(job);
          if (hit) cached.set(job.key, hit);
        }
      }
    }
    for (const hit of cached.values()) {
      this.counts.cached++;
      this.done++;
      if (hit.outcome === 'refused') this.counts.refused++;
      else this.spentUsd += this.setup.price ?? 0;
    }
    this.report();
    const settled = await Promise.allSettled(jobs.map((job) => cached.get(job.key) ?? this.send(job)));
    this.throwIfAborted();
    const failures = settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected').map((s) => s.reason as unknown);
    if (failures.length > 0) {
      const fatal = failures.find((f) => !(f instanceof BudgetExhausted) && !(f instanceof StoppedEarly));
      if (fatal) throw fatal instanceof SynthError ? fatal : this.translate(fatal);
      throw this.budgetError();
    }
    return settled.map((s) => (s as PromiseFulfilledResult<ImageResult>).value);
  }

  /**
   * A job's cached outcome, or null. The entry is read alone when the store already holds its image
   * whole (the store's check: size, then hash or its verified-file memo); otherwise the cached bytes
   * are read and must match the sha256 the entry names, or the image is asked for again.
   */
  private fromCache(job: ImageJob): ImageResult | null {
    const { cache } = this.setup;
    const entry = cache.readEntry(job.key);
    if (!entry) return null;
    if (entry.outcome === 'refused') return fromEntry(job, entry, null, true);
    if (entry.format !== undefined && entry.sha256 && entry.bytes !== undefined && this.request.hasObject?.(entry.sha256, entry.bytes)) {
      const image: StoredImage = { sha256: entry.sha256, bytes: entry.bytes, width: entry.width ?? null, height: entry.height ?? null, format: entry.format };
      return { job, outcome: 'stored', image, revisedPrompt: entry.revised_prompt ?? null, modelServed: entry.model_served ?? entry.request.model, cached: true };
    }
    const bytes = cache.readBytes(entry);
    return bytes ? fromEntry(job, entry, bytes, true) : null;
  }

  private async send(job: ImageJob): Promise<ImageResult> {
    const { config } = this.request;
    const price = this.setup.price ?? 0;
    try {
      return await this.retry.run(
        () =>
          this.limiter.run(1, async () => {
            await this.retry.waitForPause();
            if (this.stopping || this.request.signal.aborted) throw new StoppedEarly();
            if (config.maxCost !== undefined && this.spentUsd + this.reservedUsd + price > config.maxCost + 1e-12) {
              this.stopping = true;
              throw new BudgetExhausted();
            }
            this.reservedUsd += price;
            this.inFlight++;
            this.report();
            try {
              return { value: await this.generate(job) };
            } finally {
              this.inFlight--;
              this.reservedUsd -= price;
            }
          }),
        () => this.counts.retries++,
      );
    } catch (err) {
      if (!(err instanceof BudgetExhausted) && !(err instanceof StoppedEarly)) this.stopping = true;
      throw err;
    }
  }

  /** One request: the image is cached before anything else looks at it, so a kill from here on loses nothing paid for. */
  private async generate(job: ImageJob): Promise<ImageResult> {
    const { config, size } = this.request;
    const gptImage = this.setup.model.startsWith('gpt-image');
    const body: Record<string, unknown> = { model: this.setup.model, prompt: job.prompt, n: 1, size };
    if (config.quality) body.quality = config.quality;
    if (config.style) body.style = config.style;
    if (config.background) body.background = config.background;
    if (config.outputFormat) body.output_format = config.outputFormat;
    if (!gptImage) body.response_format = config.responseFormat ?? 'b64_json';
    const summary = {
      base_url: this.setup.endpoint.baseURL,
      model: this.setup.model,
      size,
      quality: config.quality ?? null,
      style: config.style ?? null,
      background: config.background ?? null,
      prompt: job.prompt,
    };
    this.counts.sent++;
    let response: OpenAI.ImagesResponse;
    try {
      response = (await this.openai().images.generate(body as unknown as OpenAI.ImageGenerateParamsNonStreaming, { signal: this.abort.signal })) as OpenAI.ImagesResponse;
    } catch (err) {
      if (isContentPolicyRefusal(err)) {
        const refusal = redactKey(String(err.message ?? 'content_policy_violation'), this.setup.endpoint);
        const entry = await this.setup.cache.writeRefusal({ v: 1, key: job.key, request: summary, refusal, received_at: new Date().toISOString() });
        this.counts.refused++;
        this.finish();
        return fromEntry(job, entry, null, false);
      }
      this.retry.notice(err);
      throw err;
    }
    const image = response.data?.[0];
    if (!image || (!image.b64_json && !image.url)) throw this.badResponse('has no image (neither b64_json nor url)');
    let bytes: Uint8Array;
    let via: 'b64_json' | 'url';
    if (image.b64_json) {
      if (image.b64_json.length > (MAX_IMAGE_BYTES * 4) / 3 + 4) throw this.badResponse(`holds an image over ${MAX_IMAGE_BYTES} bytes`);
      bytes = Buffer.from(image.b64_json, 'base64');
      via = 'b64_json';
    } else {
      // URLs expire after about an hour: the image is fetched now, while the request still holds its slot.
      bytes = await this.download(image.url!);
      via = 'url';
    }
    if (bytes.length === 0) throw this.badResponse('holds an empty image');
    const served = (response as { model?: unknown }).model;
    const entry = await this.setup.cache.writeImage(
      {
        v: 1,
        key: job.key,
        request: summary,
        via,
        revised_prompt: image.revised_prompt ?? null,
        model_served: typeof served === 'string' ? served : null,
        received_at: new Date().toISOString(),
      },
      bytes,
    );
    this.spentUsd += this.setup.price ?? 0;
    this.spentThisRunUsd += this.setup.price ?? 0;
    this.finish();
    return fromEntry(job, entry, bytes, false);
  }

  /** Downloads an image URL (no key is sent: the link is signed), retrying transient failures without asking for a new image. */
  private async download(url: string): Promise<Uint8Array> {
    const { timeoutMs } = this.request.config;
    this.counts.downloads++;
    return withRetry(
      async () => {
        const res = await fetch(url, { signal: AbortSignal.any([this.abort.signal, AbortSignal.timeout(timeoutMs)]) });
        if (!res.ok) throw new DownloadError(res.status, `HTTP ${res.status} ${res.statusText}`);
        const declared = Number(res.headers.get('content-length') ?? '0');
        if (declared > MAX_IMAGE_BYTES) throw new DownloadError(0, `declares ${declared} bytes, over the ${MAX_IMAGE_BYTES}-byte limit`);
        const chunks: Uint8Array[] = [];
        let size = 0;
        for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
          size += chunk.length;
          if (size > MAX_IMAGE_BYTES) throw new DownloadError(0, `is over the ${MAX_IMAGE_BYTES}-byte limit`);
          chunks.push(chunk);
        }
        return Buffer.concat(chunks);
      },
      {
        retries: 4,
        minDelayMs: 250,
        maxDelayMs: 5_000,
        maxRetryAfterMs: 60_000,
        retryAfter: RetryAfterUse.atLeast,
        // Connection failures and 429/5xx are worth another try; a refusal or an oversized image is not.
        retryable: (err) => (err instanceof DownloadError ? err.status === 429 || err.status >= 500 : true),
      },
      { signal: this.abort.signal, onRetry: () => this.counts.retries++ },
    ).catch((err: unknown) => {
      if (this.request.signal.aborted) throw err;
      const host = safeHost(url);
      throw new MaterializationError({
        what: `An image of '${this.request.asset}' was generated but its URL could not be downloaded from ${host}`,
        why: err instanceof Error ? err.message : String(err),
        fix: "Check the network, or set responseFormat: 'b64_json' so images come inside the response (URLs expire after about an hour).",
        asset: this.request.asset,
      });
    });
  }

  private finish(): void {
    this.done++;
    this.report();
  }

  private report(): void {
    this.request.progress(this.done, this.total, { requests_in_flight: this.inFlight, refused: this.counts.refused });
  }

  private badResponse(what: string): MaterializationError {
    return new MaterializationError({
      what: `The images server ${this.setup.endpoint.baseURL} answered a request of '${this.request.asset}' with a response that ${what}`,
      why: 'An images response must carry data[0].b64_json or data[0].url.',
      fix: 'Check that baseURL points at an OpenAI-compatible images server (POST /images/generations).',
      asset: this.request.asset,
    });
  }

  private budgetError(): MaterializationError {
    const { config } = this.request;
    const usd = (n: number) => `$${n.toFixed(4)}`;
    const images = this.counts.cached + this.counts.sent - this.counts.refused;
    return new MaterializationError({
      what: `Images asset '${this.request.asset}' stopped at its cost limit of $${config.maxCost}`,
      why: `${usd(this.spentUsd)} spent on ${images} images in all (${usd(this.spentThisRunUsd)} in this run); the next image (${usd(this.setup.price ?? 0)}) would have passed the limit.`,
      fix: 'Raise maxCost in the generator config (or --max-cost) and re-run: the images already received are cached and only the missing ones are requested.',
      asset: this.request.asset,
    });
  }

  private openai(): OpenAI {
    // The SDK does not retry (maxRetries 0): RetryPolicy does, so Retry-After and the limiter apply in one place.
    this.client ??= new OpenAI({ apiKey: this.setup.endpoint.apiKey, baseURL: this.setup.endpoint.baseURL, maxRetries: 0, timeout: this.request.config.timeoutMs });
    return this.client;
  }

  private throwIfAborted(): void {
    if (!this.request.signal.aborted) return;
    throw new MaterializationError({
      what: `Images of '${this.request.asset}' were interrupted`,
      why: `The run was cancelled after ${this.done} of ${this.total} images (every image received is cached).`,
      fix: 'Run it again: cached images are reused and only the missing ones are requested.',
      asset: this.request.asset,
      cause: this.request.signal.reason,
    });
  }

  private translate(err: unknown): SynthError {
    if (err instanceof BadRequestError) {
      return new UsageError({
        what: `The images server ${this.setup.endpoint.baseURL} refused a request of '${this.request.asset}' (HTTP 400)`,
        why: redactKey(String(err.message ?? ''), this.setup.endpoint),
        fix: `Check model '${this.setup.model}', size '${this.request.size}' and the quality/style/background options against what this model accepts.`,
        asset: this.request.asset,
      });
    }
    return toSynthError(err, { asset: this.request.asset, endpoint: this.setup.endpoint, model: this.setup.model, timeoutMs: this.request.config.timeoutMs });
  }

  async close(): Promise<void> {
    this.request.signal.removeEventListener('abort', this.forwardAbort);
    await this.limiter.close();
  }
}

class DownloadError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'an invalid URL';
  }
}

function fromEntry(job: ImageJob, entry: ImageCacheEntry, bytes: Uint8Array | null, cached: boolean): ImageResult {
  if (entry.outcome === 'refused' || !bytes) return { job, outcome: 'refused', refusal: entry.refusal ?? 'content_policy_violation', cached };
  return { job, outcome: 'image', bytes, revisedPrompt: entry.revised_prompt ?? null, modelServed: entry.model_served ?? entry.request.model, cached };
}
