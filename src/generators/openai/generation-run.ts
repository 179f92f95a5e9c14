import { setMaxListeners } from 'node:events';
import OpenAI, { NotFoundError } from 'openai';
import { MaterializationError, sha256, SynthError } from '../../engine/index.js';
import type { GenerateRequest, GenerateResult } from '../generator.js';
import { planBatches } from './batch-plan.js';
import { buildBatchRequest, type BatchRequest, type RequestContext } from './batch-request.js';
import { readBatchResponse, type BatchResponse } from './batch-response.js';
import { parseOpenAIConfig, type ModelPrice, type OpenAIGeneratorConfig } from './config.js';
import { OPENAI_GENERATOR_VERSION } from './generator-version.js';
import { LlmCache } from './llm-cache.js';
import { costUsd, isFloatingModelAlias, priceOf } from './prices.js';
import { RequestLimiter } from './request-limiter.js';
import { buildBatchFormat } from './response-format.js';
import { RetryPolicy } from './retry-policy.js';
import { runChains, SHAPELESS_ATTEMPTS_LIMIT, type Answer, type ChainRunOptions, type ChainRunOutcome } from './request-chains.js';
import { RowLedger } from './row-ledger.js';
import { resolveEndpoint, type ServerEndpoint } from './server-endpoint.js';
import { toSynthError } from './server-errors.js';
import { roundUsd, UsageRecord } from './usage-record.js';

/** Cache entries read between two yields to the event loop. */
const CACHE_READ_SLICE = 250;

type EstimateRequest = Omit<GenerateRequest, 'signal' | 'progress' | 'warn'>;

/** Everything fixed for one dataset run. */
interface RunSetup {
  request: EstimateRequest;
  config: OpenAIGeneratorConfig;
  endpoint: ServerEndpoint;
  context: RequestContext;
  price: ModelPrice | null;
  cache: LlmCache;
}

function prepare(request: EstimateRequest, env: NodeJS.ProcessEnv): RunSetup {
  const config = parseOpenAIConfig(request.config as Record<string, unknown>, request.asset);
  const endpoint = resolveEndpoint(config, request.asset, env);
  const format = buildBatchFormat(request.schema, config.structuredOutput, request.asset);
  return {
    request,
    config,
    endpoint,
    price: priceOf(config.model, config.prices),
    cache: new LlmCache(request.stateDir),
    context: { asset: request.asset, prompt: request.prompt, config, format, seed: request.seed, baseURL: endpoint.baseURL },
  };
}

/** Runs the chains of a dataset (see `runChains`) with answers from `answerer`. */
function playChains(setup: RunSetup, ledger: RowLedger, answerer: Pick<ChainRunOptions, 'known' | 'fetch' | 'stop' | 'onProgress'>): Promise<ChainRunOutcome> {
  const { config, request } = setup;
  return runChains(
    {
      rows: request.rows,
      batchSize: config.batchSize,
      maxRounds: config.maxRounds,
      schema: request.schema,
      rules: request.prompt.rules,
      build: (position) => buildBatchRequest(setup.context, position),
      ...answerer,
    },
    ledger,
  );
}

/** Feeds the answers to the usage record in (batch, round, part) order, so its seeds and counts do not depend on arrival order. */
function recordUsage(usage: UsageRecord, outcome: ChainRunOutcome): void {
  for (const { request, answer } of outcome.answered) {
    if (!('assumed' in answer)) usage.add(request.body.seed, answer.response, answer.cached);
  }
}

/**
 * Reads the cached answers of a phase's first requests before anything is sent (they cost
 * nothing, and the spending check must know them). Yields to the event loop between slices so
 * progress and signals stay live during a long cached re-run.
 */
async function readCached(setup: RunSetup, requests: BatchRequest[]): Promise<Map<string, BatchResponse>> {
  const found = new Map<string, BatchResponse>();
  if (!setup.config.llmCache) return found;
  for (let i = 0; i < requests.length; i += CACHE_READ_SLICE) {
    if (i > 0) await new Promise((resolve) => setImmediate(resolve));
    for (const r of requests.slice(i, i + CACHE_READ_SLICE)) {
      const response = readCachedOne(setup, r);
      if (response) found.set(r.key, response);
    }
  }
  return found;
}

function readCachedOne(setup: RunSetup, request: BatchRequest): BatchResponse | null {
  if (!setup.config.llmCache) return null;
  const entry = setup.cache.read(request.key);
  return entry ? readBatchResponse(entry.response) : null;
}

/** What `estimate()` reports: only requests that are not cached count. */
export async function estimateRun(request: EstimateRequest, env: NodeJS.ProcessEnv): Promise<Record<string, number>> {
  const setup = prepare(request, env);
  const ledger = new RowLedger();
  const usage = new UsageRecord(setup.price);
  const toSend = { requests: 0, prompt_tokens: 0, completion_tokens: 0 };
  const assume = (r: BatchRequest): Answer => {
    toSend.requests++;
    toSend.prompt_tokens += r.estimate.prompt_tokens;
    toSend.completion_tokens += r.estimate.completion_tokens;
    return { assumed: true };
  };
  const outcome = await playChains(setup, ledger, {
    known: async (requests) => {
      const cached = await readCached(setup, requests);
      return new Map([...cached].map(([key, response]): [string, Answer] => [key, { response, cached: true }]));
    },
    fetch: async (r) => {
      const response = readCachedOne(setup, r);
      return response ? { response, cached: true } : assume(r);
    },
    stop: () => {},
  });
  // A cache that already shows a schema-blind server still estimates what a run would send: nothing new.
  recordUsage(usage, outcome);
  return {
    ...toSend,
    cost_usd: roundUsd(costUsd(setup.price, toSend.prompt_tokens, toSend.completion_tokens)),
    cached_requests: usage.cached,
  };
}

/** Runs the generation of one dataset. */
export async function generateRun(request: GenerateRequest, env: NodeJS.ProcessEnv): Promise<GenerateResult> {
  const setup = prepare(request, env);
  const { config, price } = setup;
  if (isFloatingModelAlias(config.model)) {
    request.warn(
      `Dataset '${request.asset}' uses the model alias '${config.model}', which the provider moves to newer snapshots: results may drift between runs. Pin a dated snapshot (e.g. 'gpt-4o-mini-2024-07-18').`,
    );
  }
  if (config.maxCost !== undefined && !price) {
    request.warn(
      `Dataset '${request.asset}': no price is known for model '${config.model}', so maxCost cannot be enforced. Add it under prices: { '${config.model}': { input, output } } (USD per 1M tokens).`,
    );
  }
  const ledger = new RowLedger();
  const usage = new UsageRecord(price);
  const sender = new RequestSender(setup, request);
  let outcome: ChainRunOutcome;
  try {
    outcome = await playChains(setup, ledger, {
      known: (requests) => sender.known(requests),
      fetch: (r) => sender.fetch(r),
      stop: () => sender.stop(),
      onProgress: (valid) => sender.report(valid),
    });
  } finally {
    await sender.close();
  }
  recordUsage(usage, outcome);
  usage.retries = sender.retries;
  await sender.settle(outcome.failures);
  if (outcome.schemaBlind) throw schemaBlindError(setup, ledger);
  sender.report(Math.min(ledger.accepted.length, request.rows));
  const metadata = buildMetadata(setup, ledger, usage, outcome.rounds, outcome.requested);
  if (ledger.accepted.length < request.rows) throw shortfallError(setup, ledger, usage, outcome.rounds);
  return { rows: ledger.accepted.slice(0, request.rows), metadata };
}

/**
 * Parts of a run that can be computed apart: its first-round requests (later rounds depend on
 * what was rejected). 1 when responses are not reused (`llmCache: false`), since parts reach
 * `generate` through the cache.
 */
export function runParts(request: EstimateRequest): number {
  const config = parseOpenAIConfig(request.config as Record<string, unknown>, request.asset);
  return config.llmCache ? planBatches(request.rows, config.batchSize, 0).length : 1;
}

/**
 * Sends the first-round requests `[from, to)` that are not cached yet, through the same limiter,
 * retry policy and cost limit as a run, and caches every response: `generateRun` then finds them
 * and merges them in (batch, position) order, so the rows are those of a run in one process.
 */
export async function prepareRunParts(request: GenerateRequest, env: NodeJS.ProcessEnv, from: number, to: number): Promise<Record<string, number>> {
  const setup = prepare(request, env);
  const usage = new UsageRecord(setup.price);
  const sender = new RequestSender(setup, request);
  const requests = planBatches(request.rows, setup.config.batchSize, 0)
    .slice(from, to)
    .map((p) => buildBatchRequest(setup.context, p));
  try {
    // The sender's limiter holds concurrency and rates; a failure ends the part (the queue retries it).
    const answers = await Promise.all(requests.map((r) => sender.fetch(r)));
    answers.forEach((a, i) => {
      if (!('assumed' in a)) usage.add(requests[i].body.seed, a.response, a.cached);
    });
    usage.retries = sender.retries;
  } finally {
    await sender.close();
  }
  return { requests: requests.length, sent: usage.sent, cached: usage.cached, retries: usage.retries };
}

/** Raised inside a request slot when the cost limit forbids sending it. */
class BudgetExhausted extends Error {}

/** Sends the uncached requests of each round through the limiter, retry policy and cost limit. */
class RequestSender {
  private client: OpenAI | null = null;
  private readonly limiter: RequestLimiter;
  private readonly retry: RetryPolicy;
  private inFlight = 0;
  /** Estimated cost of requests in flight: spending checks count them before their usage is known. */
  private reservedUsd = 0;
  /** Real cost of every response used so far, this round's included as they arrive. */
  private spentUsd = 0;
  /** Responses used so far (cached or received), this round's included. */
  private responses = 0;
  private nextCostUsd = 0;
  /** Spend and reservations when the cost limit stopped the run: it may stop on money already spent, or on estimates of requests in flight. */
  private stoppedAt = { spentUsd: 0, reservedUsd: 0, inFlight: 0 };
  /** Stop starting requests (a fatal error, the cost limit or an abort happened). */
  private stopping = false;
  /** The cost limit stopped the run. */
  private budgetStopped = false;
  /** Retries of requests, for the usage record. */
  retries = 0;
  /** Requests sent in this run (for the interruption message). */
  private sent = 0;
  private cacheReads = 0;
  private liveRows = 0;
  private receivedRows = 0;
  private liveTokens = 0;
  /**
   * Our own signal, following the run's: every request in flight and every backoff wait
   * listens to it, more than the default 10 listeners an AbortSignal allows without warning.
   */
  private readonly abort = new AbortController();
  private readonly forwardAbort = () => this.abort.abort(this.request.signal.reason);

  constructor(
    private readonly setup: RunSetup,
    private readonly request: GenerateRequest,
  ) {
    const { config: c, endpoint } = setup;
    // One shared bucket per server and model: the budgets a provider enforces.
    const shared = c.sharedLimiter ? { redisUrl: c.sharedLimiter, id: sha256(`${endpoint.baseURL} ${c.model}`).slice(0, 16) } : undefined;
    this.limiter = new RequestLimiter({ concurrency: c.concurrency, rpm: c.rpm, tpm: c.tpm, shared });
    setMaxListeners(0, this.abort.signal);
    if (request.signal.aborted) this.forwardAbort();
    else request.signal.addEventListener('abort', this.forwardAbort, { once: true });
    this.retry = new RetryPolicy(setup.config.maxRetries, this.abort.signal);
  }

  /** Reads the cached answers of a phase's first requests and counts their cost before anything is sent. */
  async known(requests: BatchRequest[]): Promise<Map<string, Answer>> {
    this.throwIfAborted();
    const cached = await readCached(this.setup, requests);
    const answers = new Map<string, Answer>();
    for (const [key, response] of cached) {
      this.spend(response);
      answers.set(key, { response, cached: true });
    }
    return answers;
  }

  /** Answers one request: from the cache when it has it, else from the server. */
  async fetch(r: BatchRequest): Promise<Answer> {
    this.throwIfAborted();
    // A long cached re-run reads thousands of entries synchronously: let progress and signals through now and then.
    if (++this.cacheReads % CACHE_READ_SLICE === 0) await new Promise((resolve) => setImmediate(resolve));
    const hit = readCachedOne(this.setup, r);
    if (hit) {
      this.spend(hit);
      return { response: hit, cached: true };
    }
    return { response: await this.send(r), cached: false };
  }

  /** Stops starting requests (those queued end with `StoppedEarly`). */
  stop(): void {
    this.stopping = true;
  }

  /** Throws the most telling of the failures of a run, if any: every response that did arrive is cached by now. */
  async settle(failures: unknown[]): Promise<void> {
    this.throwIfAborted();
    if (failures.length === 0) return;
    const fatal = failures.find((f) => !(f instanceof BudgetExhausted) && !(f instanceof StoppedEarly));
    if (fatal) throw fatal instanceof SynthError ? fatal : await this.translate(fatal);
    if (this.budgetStopped) {
      throw budgetError(this.setup, { spentUsd: this.spentUsd, responses: this.responses, rowsReceived: this.receivedRows, nextUsd: this.nextCostUsd, at: this.stoppedAt });
    }
  }

  private async send(r: BatchRequest): Promise<BatchResponse> {
    const { config } = this.setup;
    const estimatedUsd = costUsd(this.setup.price, r.estimate.prompt_tokens, r.estimate.completion_tokens);
    const estimatedTokens = r.estimate.prompt_tokens + r.estimate.completion_tokens;
    try {
      const response = await this.retry.run(
        () =>
          this.limiter.run(estimatedTokens, async () => {
            // A 429's Retry-After pauses requests already queued in the limiter too: checked here,
            // holding the slot, right before sending.
            await this.retry.waitForPause();
            if (this.stopping || this.request.signal.aborted) throw new StoppedEarly();
            if (config.maxCost !== undefined && this.spentUsd + this.reservedUsd + estimatedUsd > config.maxCost) {
              this.nextCostUsd = estimatedUsd;
              this.stoppedAt = { spentUsd: this.spentUsd, reservedUsd: this.reservedUsd, inFlight: this.inFlight };
              this.stopping = true;
              this.budgetStopped = true;
              throw new BudgetExhausted();
            }
            this.reservedUsd += estimatedUsd;
            this.inFlight++;
            this.report();
            try {
              const completion = await this.openai()
                .chat.completions.create(r.body as OpenAI.ChatCompletionCreateParamsNonStreaming, { signal: this.abort.signal })
                .catch((err: unknown) => {
                  this.retry.notice(err);
                  throw err;
                });
              // Cached before anything else looks at it: a crash from here on loses nothing paid for.
              await this.setup.cache.write({
                v: 1,
                key: r.key,
                request: { base_url: this.setup.endpoint.baseURL, model: r.body.model, seed: r.body.seed, ...r.position },
                response: completion,
                received_at: new Date().toISOString(),
              });
              const response = readBatchResponse(completion);
              this.sent++;
              // Charged while this request still holds its slot and reservation, so the cost check
              // of the next request always sees it.
              this.spend(response);
              return { value: response, actualTokens: completion.usage?.total_tokens };
            } finally {
              this.inFlight--;
              this.reservedUsd -= estimatedUsd;
            }
          }),
        () => this.retries++,
      );
      this.report();
      return response;
    } catch (err) {
      if (!(err instanceof BudgetExhausted) && !(err instanceof StoppedEarly)) this.stopping = true;
      throw err;
    }
  }

  /** Counts a response at once, so the cost check of the next request sees it. */
  private spend(response: BatchResponse): void {
    this.spentUsd += costUsd(this.setup.price, response.usage.prompt_tokens, response.usage.completion_tokens);
    this.responses++;
    this.receivedRows += response.rows.length;
    this.liveTokens += response.usage.prompt_tokens + response.usage.completion_tokens;
  }

  /** Progress: valid rows so far (checked per batch; the final count, after de-duplication, is reported at the end). */
  report(validRows?: number): void {
    if (validRows !== undefined) this.liveRows = validRows;
    const total = this.request.rows;
    this.request.progress(Math.min(this.liveRows, total), total, {
      requests_in_flight: this.inFlight,
      tokens: this.liveTokens,
      retries: this.retries,
      cost_usd: roundUsd(this.spentUsd),
    });
  }

  private openai(): OpenAI {
    const { endpoint, config } = this.setup;
    // The SDK does not retry (maxRetries 0): RetryPolicy does, so backoff, Retry-After and the
    // rate limiter are applied in one place and counted.
    this.client ??= new OpenAI({ apiKey: endpoint.apiKey, baseURL: endpoint.baseURL, maxRetries: 0, timeout: config.timeoutMs });
    return this.client;
  }

  private throwIfAborted(): void {
    if (!this.request.signal.aborted) return;
    throw new MaterializationError({
      what: `Generation of dataset '${this.request.asset}' was interrupted`,
      why: `The run was cancelled after ${this.responses} responses (${this.sent} received in this run, all cached).`,
      fix: 'Run it again: cached responses are reused and only the missing requests are sent.',
      asset: this.request.asset,
      cause: this.request.signal.reason,
    });
  }

  private async translate(err: unknown): Promise<SynthError> {
    this.throwIfAborted();
    const ctx = { asset: this.request.asset, endpoint: this.setup.endpoint, model: this.setup.config.model, timeoutMs: this.setup.config.timeoutMs };
    if (err instanceof NotFoundError) {
      const availableModels = await this.listModels();
      return toSynthError(err, { ...ctx, availableModels });
    }
    return toSynthError(err, ctx);
  }

  /** Best effort: the server's model list makes a 404 message actionable. */
  private async listModels(): Promise<string[] | undefined> {
    try {
      const page = await this.openai().models.list({ timeout: 5_000 });
      return page.data.map((m) => m.id);
    } catch {
      return undefined;
    }
  }

  async close(): Promise<void> {
    this.request.signal.removeEventListener('abort', this.forwardAbort);
    await this.limiter.close();
  }
}

/** Raised for requests not started because another one already failed for good. */
class StoppedEarly extends Error {}

function buildMetadata(setup: RunSetup, ledger: RowLedger, usage: UsageRecord, rounds: number, requested: number): Record<string, unknown> {
  const { config, endpoint, request, price } = setup;
  return {
    provider: 'openai',
    generator_version: OPENAI_GENERATOR_VERSION,
    base_url: endpoint.baseURL,
    model: config.model,
    response_models: usage.responseModels,
    system_fingerprints: usage.systemFingerprints,
    temperature: config.temperature ?? null,
    top_p: config.top_p ?? null,
    seed: request.seed,
    request_seeds: usage.requestSeeds,
    structured_output: config.structuredOutput,
    batch_size: config.batchSize,
    rounds,
    requested,
    received: ledger.received,
    valid: Math.min(ledger.accepted.length, request.rows),
    surplus: Math.max(0, ledger.accepted.length - request.rows),
    rejected: { ...ledger.rejected, total: ledger.rejectedTotal },
    duplicates: ledger.rejected.duplicate,
    rule_violations: ledger.ruleViolations,
    bad_responses: ledger.badResponses,
    requests: { total: usage.responses, sent: usage.sent, cached: usage.cached, retries: usage.retries },
    tokens: { prompt: usage.tokens.prompt, completion: usage.tokens.completion, total: usage.totalTokens },
    tokens_this_run: { prompt: usage.tokensThisRun.prompt, completion: usage.tokensThisRun.completion },
    price_usd_per_1m: price,
    cost_usd: roundUsd(usage.costUsd),
    cost_usd_this_run: roundUsd(usage.costUsdThisRun),
  };
}

function describeRejections(ledger: RowLedger): string {
  const parts: string[] = [];
  const example = (reason: string) => {
    const e = ledger.examples[reason]?.[0];
    return e ? ` (e.g. batch ${e.batch}${e.position !== undefined ? ` row ${e.position}` : ''}: ${e.message})` : '';
  };
  for (const [reason, count] of Object.entries(ledger.rejected)) {
    if (count > 0) parts.push(`${count} rows rejected for ${reason}${example(reason)}`);
  }
  for (const [failure, count] of Object.entries(ledger.badResponses)) {
    if (count) parts.push(`${count} responses ${failure.replace(/_/g, ' ')}${example(failure)}`);
  }
  return parts.join('; ') || 'no rows were rejected';
}

function shortfallError(setup: RunSetup, ledger: RowLedger, usage: UsageRecord, rounds: number): MaterializationError {
  const { request, config, endpoint } = setup;
  const topRules = Object.entries(ledger.ruleViolations)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([text, n]) => `"${text}" ×${n}`);
  return new MaterializationError({
    what: `Dataset '${request.asset}' got only ${ledger.accepted.length} of ${request.rows} valid rows from '${config.model}' on ${endpoint.baseURL}`,
    why: `After ${usage.responses} requests in ${rounds} rounds: ${describeRejections(ledger)}.${topRules.length ? ` Most broken rules: ${topRules.join(', ')}.` : ''}`,
    fix: 'Make the prompt and rules satisfiable, try a stronger model, or raise maxRounds in the generator config. Responses are cached: a re-run only sends the new rounds.',
    asset: request.asset,
  });
}

function schemaBlindError(setup: RunSetup, ledger: RowLedger): MaterializationError {
  const { request, config, endpoint } = setup;
  const json = config.structuredOutput === 'json_schema';
  return new MaterializationError({
    what: `The LLM server ${endpoint.baseURL} ignores the response schema for dataset '${request.asset}'`,
    why: `${SHAPELESS_ATTEMPTS_LIMIT} attempts in a row, no response was a {"rows": [...]} JSON object: ${describeRejections(ledger)}.`,
    fix: json
      ? `Model '${config.model}' may not support json_schema structured output on this server: set structuredOutput: 'json_object', or use a model/server that supports structured outputs.`
      : `Use a model that follows JSON instructions, or a server with json_schema support (structuredOutput: 'json_schema').`,
    asset: request.asset,
  });
}

function budgetError(
  setup: RunSetup,
  spent: { spentUsd: number; responses: number; rowsReceived: number; nextUsd: number; at: { spentUsd: number; reservedUsd: number; inFlight: number } },
): MaterializationError {
  const { request, config } = setup;
  const usd = (n: number) => `$${n.toFixed(4)}`;
  const { at } = spent;
  // Say what the limit was checked against: money spent only, or spent plus the estimates of requests still in flight.
  const stop =
    at.reservedUsd > 0
      ? `It stopped on a reservation: when ${usd(at.spentUsd)} was spent and ${usd(at.reservedUsd)} reserved by ${at.inFlight} request(s) in flight (their estimated cost), the next request (about ${usd(spent.nextUsd)}) would have passed the limit; the requests in flight then cost what they cost.`
      : `It stopped on spend: with ${usd(at.spentUsd)} spent and nothing in flight, the next request (about ${usd(spent.nextUsd)}) would have passed the limit.`;
  return new MaterializationError({
    what: `Dataset '${request.asset}' stopped at its cost limit of $${config.maxCost}`,
    why: `${usd(spent.spentUsd)} spent on ${spent.responses} responses in all (${Math.min(spent.rowsReceived, request.rows)} of ${request.rows} rows received). ${stop}`,
    fix: `Raise maxCost in the generator config and re-run: the ${spent.responses} cached responses are reused and only the missing requests are sent.`,
    asset: request.asset,
  });
}
