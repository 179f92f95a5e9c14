import { MaterializationError, ObjectStore, UsageError, type Row } from '../engine/index.js';
import { renderTemplate, type PromptFile } from '../rules/index.js';
import { drawingConfig, LOCAL_PAINTER_VERSION, parseImageGeneratorConfig, type ImageGeneratorConfig } from './image-generator-config.js';
import { planImageJobs, type ImageJob } from './image-job.js';
import { ImageStatus, type ImageManifestRow } from './image-manifest.js';
import { DEFAULT_LOCAL_SIZE, DEFAULT_OPENAI_SIZE, MAX_LOCAL_SIDE, parseImageSize } from './image-size.js';
import { paintLabelCard } from './local-painter.js';
import { imageSize, sniffFormat } from './png-codec.js';
import type { ImageResult, ImageRunReport, StoredImage } from './openai-images.js';
import { openAIImages } from './openai-images-loader.js';

/** Images painted between two yields to the event loop (progress and Ctrl-C stay live). */
const PAINT_SLICE = 16;

/** The settings of an images asset, as declared (see `images()`). */
export interface ImagesSettings {
  /** Prompt id (`prompts/<id>.yaml`), whose template is filled from each row. */
  prompt: string;
  /** Images per upstream row; 0 when the asset makes a fixed count. */
  perRow: number;
  /** Images in all, without upstream rows. */
  count: number;
  size?: string;
  seed: number;
  rowKey?: string;
  generator?: unknown;
}

/** Everything one materialization of an images asset needs. */
export interface MakeImagesRequest {
  asset: string;
  settings: ImagesSettings;
  /** Upstream rows (per-row images), or null. */
  rows: Row[] | null;
  promptFile: PromptFile;
  /** Seed to use (the declared one, or `--seed`). */
  seed: number;
  stateDir: string;
  signal: AbortSignal;
  progress(done: number, total: number, detail?: Record<string, number>): void;
  warn(message: string): void;
  /** Stores bytes as an object and returns its sha256 (the engine's, so the run records it). Default: the state folder's store. */
  putObject?(bytes: Uint8Array): string;
  env?: NodeJS.ProcessEnv;
}

/** What a materialization of an images asset gives: the manifest rows, the objects it refers to, and metadata. */
export interface MadeImages {
  manifest: ImageManifestRow[];
  /** sha256 of every image object the manifest names (to keep in the store). */
  objects: string[];
  metadata: Record<string, unknown>;
}

/** The size an asset asks for, defaulted by provider. */
export function effectiveSize(settings: Pick<ImagesSettings, 'size'>, config: ImageGeneratorConfig): string {
  return settings.size ?? (config.provider === 'local' ? DEFAULT_LOCAL_SIZE : DEFAULT_OPENAI_SIZE);
}

/** The jobs of an asset (what `--dry-run` estimates and `make` runs). */
export async function imageJobsOf(
  request: Pick<MakeImagesRequest, 'asset' | 'settings' | 'rows' | 'promptFile' | 'seed' | 'env'>,
): Promise<{ jobs: ImageJob[]; config: ImageGeneratorConfig; size: string }> {
  const config = parseImageGeneratorConfig(request.settings.generator, request.asset);
  const size = effectiveSize(request.settings, config);
  const dims = parseImageSize(size, request.asset);
  if (config.provider === 'local' && (!dims || dims.width > MAX_LOCAL_SIDE || dims.height > MAX_LOCAL_SIDE)) {
    throw new UsageError({
      what: `Images asset '${request.asset}' asks the offline painter for size '${size}'`,
      why: `The local provider draws WIDTHxHEIGHT images up to ${MAX_LOCAL_SIDE} pixels a side ('auto' is for gpt-image-1).`,
      fix: `Use e.g. size: '${DEFAULT_LOCAL_SIZE}'.`,
      asset: request.asset,
    });
  }
  const drawing: Record<string, unknown> = { ...drawingConfig(config), size };
  if (config.provider === 'local') drawing.painter = LOCAL_PAINTER_VERSION;
  else drawing.server = (await import('./image-estimate.js')).imageServerOf(config, request.asset, request.env);
  // renderPromptTemplate, with the template's place in its file looked up once rather than per image (10,000 rows: 10,000 YAML lookups).
  const { template, variables } = request.promptFile;
  const where = request.promptFile.locate(['template']);
  const jobs = planImageJobs({
    rows: request.rows,
    perRow: request.settings.perRow,
    count: request.settings.count,
    render: (row, index) => renderTemplate(template, { ...variables, ...(row ?? {}), image: index + 1 }, where),
    rowKey: request.settings.rowKey,
    seed: request.seed,
    drawing,
  });
  return { jobs, config, size };
}

/** Makes (or reads from the cache) every image of an asset, stores them as objects, and builds the manifest. */
export async function makeImages(request: MakeImagesRequest): Promise<MadeImages> {
  const { jobs, config, size } = await imageJobsOf(request);
  // The engine's putObject writes to this same store: here it is only read, to see which cached images it holds already.
  const store = ObjectStore.of(request.stateDir);
  const putObject = request.putObject ?? ((bytes: Uint8Array) => store.put(bytes));
  let results: ImageResult[];
  let report: Omit<ImageRunReport, 'results'> | null = null;
  if (config.provider === 'local') {
    results = await paintAll(jobs, size, request);
  } else {
    const { generateOpenAIImages } = await openAIImages();
    const run = await generateOpenAIImages(
      {
        asset: request.asset,
        size,
        config,
        stateDir: request.stateDir,
        signal: request.signal,
        progress: request.progress,
        warn: request.warn,
        hasObject: (hash, bytes) => store.check(hash, bytes) === 'ok',
      },
      jobs,
      request.env,
    );
    ({ results, ...report } = run);
    // Objects found whole by hash are remembered by file identity, so the next re-run needs one stat each.
    store.saveVerified();
  }
  const manifest: ImageManifestRow[] = [];
  const objects = new Set<string>();
  for (const result of results) {
    const { job } = result;
    const base = { id: job.id, row: job.row, row_key: job.rowKey, prompt: job.prompt, provider: config.provider, size };
    if (result.outcome === 'refused') {
      manifest.push({
        ...base,
        revised_prompt: null,
        model: report?.model ?? config.model ?? 'unknown',
        width: null,
        height: null,
        format: null,
        bytes: null,
        sha256: null,
        path: null,
        status: ImageStatus.refused,
        refusal: result.refusal,
      });
      continue;
    }
    const image = result.outcome === 'stored' ? result.image : describe(result.bytes, putObject(result.bytes));
    objects.add(image.sha256);
    manifest.push({
      ...base,
      revised_prompt: result.revisedPrompt,
      model: result.modelServed,
      width: image.width,
      height: image.height,
      format: image.format,
      bytes: image.bytes,
      sha256: image.sha256,
      path: `objects/${image.sha256.slice(0, 2)}/${image.sha256.slice(2)}`,
      status: ImageStatus.ok,
      refusal: null,
    });
  }
  const refused = manifest.filter((m) => m.status === ImageStatus.refused);
  const refusalRate = manifest.length ? refused.length / manifest.length : 0;
  if (refusalRate > config.maxRefusalRate) {
    const shown = refused.slice(0, 3).map((m) => `row ${m.row_key ?? m.id}: "${m.prompt.slice(0, 60)}"`);
    throw new MaterializationError({
      what: `Images asset '${request.asset}': ${refused.length} of ${manifest.length} prompts were refused by the safety system (${pct(refusalRate)} > maxRefusalRate ${pct(config.maxRefusalRate)})`,
      why: `The server answered HTTP 400 content_policy_violation for ${shown.join('; ')}${refused.length > 3 ? '; ...' : ''}.`,
      fix: 'Reword the prompt template (or the rows it is filled from), or raise maxRefusalRate in the generator config. Refusals are cached: delete .synth/image-cache to ask again.',
      asset: request.asset,
    });
  }
  if (refused.length)
    request.warn(
      `Images asset '${request.asset}': ${refused.length} of ${manifest.length} prompts were refused by the safety system; they are recorded in the manifest (status 'refused').`,
    );
  const metadata: Record<string, unknown> = {
    provider: config.provider,
    model: report?.model ?? config.model ?? LOCAL_PAINTER_VERSION,
    size,
    quality: config.quality ?? null,
    style: config.style ?? null,
    background: config.background ?? null,
    seed: request.seed,
    images: manifest.length - refused.length,
    refused: refused.length,
    refusal_rate: refusalRate,
    bytes: manifest.reduce((n, m) => n + (m.bytes ?? 0), 0),
  };
  if (report) {
    Object.assign(metadata, {
      base_url: report.base_url,
      models_served: [...new Set(manifest.filter((m) => m.status === 'ok').map((m) => m.model))].sort(),
      revised_prompts: manifest.filter((m) => m.revised_prompt).length,
      requests: report.requests,
      price_usd_per_image: report.price_usd_per_image,
      cost_usd: report.cost_usd,
      cost_usd_this_run: report.cost_usd_this_run,
    });
  }
  return { manifest, objects: [...objects].sort(), metadata };
}

/** What the manifest says of image bytes just stored under `hash`. */
function describe(bytes: Uint8Array, hash: string): StoredImage {
  const dims = imageSize(bytes);
  return { sha256: hash, bytes: bytes.length, width: dims?.width ?? null, height: dims?.height ?? null, format: sniffFormat(bytes) };
}

function pct(x: number): string {
  return `${Math.round(x * 1000) / 10}%`;
}

async function paintAll(jobs: readonly ImageJob[], size: string, request: MakeImagesRequest): Promise<ImageResult[]> {
  const { width, height } = parseImageSize(size, request.asset)!;
  const results: ImageResult[] = [];
  for (let i = 0; i < jobs.length; i++) {
    if (i % PAINT_SLICE === 0) {
      if (i > 0) await new Promise((resolve) => setImmediate(resolve));
      request.signal.throwIfAborted();
      request.progress(i, jobs.length);
    }
    const job = jobs[i];
    // The label is the request key (prompt, row data, seed, number): two rows with the same prompt still get two pictures.
    const bytes = paintLabelCard({ theme: job.theme, label: job.key, seed: request.seed, index: job.index, width, height });
    results.push({ job, outcome: 'image', bytes, revisedPrompt: null, modelServed: LOCAL_PAINTER_VERSION, cached: false });
  }
  request.progress(jobs.length, jobs.length);
  return results;
}
