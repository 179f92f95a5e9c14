import {
  type AssetKind,
  Catalog,
  decodeValue,
  findAssetKind,
  type GeneratorConfig,
  hashJson,
  ObjectStore,
  type Project,
  readSourceRows,
  type ResolvedAsset,
  resolveSourceFiles,
  type Row,
  rowsOf,
  SynthError,
  UsageError,
} from '../engine/index.js';
import type { PromptFile } from '../rules/index.js';
import { DEFAULT_IMAGE_MODEL, drawingConfig, ImageProvider, LOCAL_PAINTER_VERSION, OPENAI_IMAGES_VERSION, parseImageGeneratorConfig } from './image-generator-config.js';
import { ImageManifestRowSchema } from './image-manifest.js';
import type { ImagesSpec } from './images-asset.js';

/** Run options (`--max-cost`, `--no-llm-cache`) as the image providers understand them. */
function imageRunOptions(config: GeneratorConfig, options: Record<string, unknown> | undefined): GeneratorConfig {
  const out: GeneratorConfig = { ...config };
  if (config.provider !== ImageProvider.openai || !options) return out;
  if (typeof options.maxCost === 'number') out.maxCost = options.maxCost;
  if (options.llmCache === false) out.imageCache = false;
  return out;
}

/**
 * The rows an upstream will hand over, when they can be known without running anything: a file
 * source's rows read now (as the source reads them), else the upstream's last stored rows (exact
 * unless the upstream itself re-runs with other rows). Null when neither is there.
 */
async function knownRows(project: Project, upstream: ResolvedAsset): Promise<Row[] | null> {
  // A source's reading options are those readSourceRows takes (see the source kind).
  const spec = upstream.def.spec as { files?: Parameters<typeof resolveSourceFiles>[1] } & NonNullable<Parameters<typeof readSourceRows>[1]>;
  if (upstream.kind === 'source' && spec.files) {
    try {
      return (await readSourceRows(resolveSourceFiles(project.root, spec.files), { onBadLine: spec.onBadLine, schema: spec.schema })).rows;
    } catch {
      return null; // a file that does not read is reported by the run itself
    }
  }
  const catalog = new Catalog(project.stateDir);
  await catalog.load();
  const latest = catalog.lookup.latestSuccess(upstream.name);
  const store = ObjectStore.of(project.stateDir);
  if (latest?.format !== 'jsonl' || !latest.data_hash || !store.has(latest.data_hash)) return null;
  const rows = decodeValue(store.getText(latest.data_hash), 'jsonl');
  return Array.isArray(rows) ? (rows as Row[]) : null;
}

/** The columns of an images manifest, for definition checks downstream. */
const MANIFEST_COLUMNS = Object.keys(ImageManifestRowSchema.shape);

/**
 * Images made from a prompt file, one or more per upstream row or a fixed count, by the offline
 * painter or the OpenAI Images API. The value is a manifest (rows); the images are objects of the
 * store that the materialization records, so `synth gc` keeps them.
 */
export const imagesKind: AssetKind<ImagesSpec> = {
  kind: 'images',
  csv: true,

  resolve({ def, deps, loadPrompt, problem }) {
    const spec = def.spec;
    if (typeof spec.prompt !== 'string' || !spec.prompt)
      throw problem({
        what: `Images asset "${def.name}" has no prompt id.`,
        why: 'Images are drawn from a prompt file prompts/<id>.yaml, its template filled from each row.',
        fix: "Add prompt: 'product_photo_v1'.",
      });
    if (!Number.isInteger(spec.perRow) || spec.perRow < 0 || !Number.isInteger(spec.count) || spec.count < 0) {
      throw problem({
        what: `Images asset "${def.name}" has perRow: ${spec.perRow}, count: ${spec.count}.`,
        why: 'Both are whole numbers ≥ 0.',
        fix: 'Use perRow: true (one image per row), perRow: 2, or count: 12.',
      });
    }
    if (spec.perRow > 0 === spec.count > 0) {
      throw problem({
        what: `Images asset "${def.name}" needs either perRow (images per upstream row) or count (a fixed number), not ${spec.perRow > 0 ? 'both' : 'neither'}.`,
        why: spec.perRow > 0 ? 'perRow draws each row of a dep; count draws from the template alone.' : 'It has no deps to draw rows from and no count.',
        fix: spec.perRow > 0 ? 'Remove count, or perRow.' : 'Add deps: { products } (one image per row), or count: 12.',
      });
    }
    if (spec.perRow > 0 && (spec.input === null || !Object.hasOwn(deps, spec.input))) {
      throw problem({
        what: `Images asset "${def.name}" draws rows from "${spec.input}", which is not one of its deps.`,
        why: `Its deps are: ${Object.keys(deps).join(', ') || 'none'}.`,
        fix: 'Set input to a dep key, or add the dep.',
      });
    }
    try {
      parseImageGeneratorConfig(spec.generator, def.name);
    } catch (err) {
      // Pointed at the definitions file, as every other definition mistake.
      if (err instanceof SynthError) throw problem({ what: err.what, why: err.why, fix: err.fix });
      throw err;
    }
    return { prompt: loadPrompt(spec.prompt) };
  },

  codeVersion({ def: { spec } }) {
    return `images:${hashJson({ perRow: spec.perRow, count: spec.count, input: spec.input, size: spec.size ?? null, rowKey: spec.rowKey ?? null })}`;
  },

  settings({ def: { spec } }) {
    return { seed: spec.seed, generator: spec.generator as GeneratorConfig };
  },

  generatorConfigs: {
    keyed(config, asset) {
      const parsed = parseImageGeneratorConfig(config, asset ?? 'images');
      return { ...drawingConfig(parsed), version: parsed.provider === ImageProvider.local ? LOCAL_PAINTER_VERSION : OPENAI_IMAGES_VERSION };
    },
    override(config, flag) {
      const [provider, model] = flag.split(':', 2);
      if (provider !== ImageProvider.local && provider !== ImageProvider.openai) {
        throw new UsageError({
          what: `--generator ${flag} names no image provider.`,
          why: "Images assets are made by 'local' or 'openai'.",
          fix: 'Use --generator local, or --generator openai:dall-e-3.',
        });
      }
      return provider === config.provider ? { ...config, ...(model ? { model } : {}) } : { provider, ...(model ? { model } : {}) };
    },
    withRunOptions: imageRunOptions,
  },

  columns() {
    return MANIFEST_COLUMNS;
  },

  async estimate({ project, asset, settings }) {
    if (!settings) return null;
    const spec = asset.def.spec;
    const config = parseImageGeneratorConfig(settings.generator, asset.name);
    if (config.provider !== ImageProvider.openai) return null;
    const { estimateImages } = await import('./image-estimate.js');
    const { effectiveSize, imageJobsOf } = await import('./make-images.js');
    const size = effectiveSize(spec, config);
    const exact = async (rows: Row[] | null) => {
      const { jobs } = await imageJobsOf({
        asset: asset.name,
        settings: { ...spec, generator: settings.generator },
        rows,
        promptFile: asset.prompt as unknown as PromptFile,
        seed: settings.seed,
      });
      return estimateImages({ asset: asset.name, size, config, stateDir: project.stateDir }, jobs);
    };
    // A fixed count: the exact requests, cached ones left out.
    if (spec.count > 0) return exact(null);
    const upstream = spec.input ? project.assets.get(asset.deps[spec.input]) : undefined;
    if (!upstream) return null;
    // Per row, with rows known before the run (a source's files, or the upstream's stored rows): the exact requests, cached ones left out.
    const known = await knownRows(project, upstream);
    if (known) return { ...(await exact(known)), upper_bound: 0 };
    // Otherwise the rows the upstream promises (a dataset's `rows`), as if none were cached: an upper bound.
    const rows = findAssetKind(upstream.kind)?.rows?.(upstream) ?? null;
    if (rows === null) return null;
    const { imagePriceOf } = await import('./image-prices.js');
    const images = rows * spec.perRow;
    const price = imagePriceOf(config.model ?? DEFAULT_IMAGE_MODEL, config.quality, size, config.prices) ?? 0;
    return { images, requests: images, cached_requests: 0, cost_usd: Math.round(images * price * 1e6) / 1e6, upper_bound: 1 };
  },

  async compute({ asset, inputs, settings, ctx, putObject }) {
    const spec = asset.def.spec;
    const rows = spec.perRow > 0 && spec.input ? rowsOf(inputs[spec.input], `its input "${asset.deps[spec.input]}"`, asset.name) : null;
    const { makeImages } = await import('./make-images.js');
    const made = await makeImages({
      asset: asset.name,
      settings: { ...spec, generator: settings.generator ?? spec.generator },
      rows,
      promptFile: asset.prompt as unknown as PromptFile,
      seed: settings.seed ?? spec.seed,
      stateDir: settings.stateDir,
      signal: ctx.signal,
      progress: ctx.progress,
      warn: ctx.warn,
      putObject,
    });
    return { value: made.manifest, format: 'jsonl', metadata: made.metadata, objects: made.objects };
  },
};
