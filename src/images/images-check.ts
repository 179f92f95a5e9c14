import { z } from 'zod';
import { MaterializationError, type Check, type CheckContext, type CheckOutcome, type Row } from '../engine/index.js';
import { commonCheckShape, makeCheck } from '../validation/make-check.js';
import { ImageStatus, isImageManifest, type ImageManifestRow } from './image-manifest.js';

export const ImagesCheckOptionsSchema = z.strictObject({
  ...commonCheckShape,
  /** Size every image must have, `WIDTHxHEIGHT`. Default: the size each manifest row declares (`auto` is not checked). @example '1024x1024' */
  size: z
    .string()
    .regex(/^\d+x\d+$/, 'WIDTHxHEIGHT, e.g. 1024x1024')
    .optional(),
  /** Format every image must have. Default: any of png, jpeg, webp. @example 'png' */
  format: z.enum(['png', 'jpeg', 'webp']).optional(),
  /** Lowest luma variance of a non-blank image (0–255² scale; a single-colour image has 0). Default: `20`. */
  minVariance: z.number().nonnegative().default(20),
  /** Largest difference-hash distance (bits of 64) at which two images count as near-duplicates. Default: `3`. */
  maxHashDistance: z.number().int().min(0).max(64).default(3),
  /** Dep key of another images asset whose images must not be near-duplicates of these. Default: none. @example 'banners' */
  against: z.string().min(1).optional(),
  /**
   * Counts of images per category: the upstream rows (a dep key of the validation) and their
   * category column, joined on each image's row; each category must have at least `min` images.
   * @example { rows: 'products', column: 'category', min: 5 }
   */
  categories: z.strictObject({ rows: z.string().min(1), column: z.string().min(1), min: z.number().int().min(0).default(1) }).optional(),
  /** Largest share of refused prompts. Default: `0.1`. */
  maxRefusalRate: z.number().min(0).max(1).default(0.1),
  /** How many examples of each problem the report keeps. Default: `5`. */
  examples: z.number().int().min(0).default(5),
});
/** Options of `checks.images()`. */
export type ImagesCheckOptions = z.input<typeof ImagesCheckOptionsSchema>;
type Options = Omit<z.output<typeof ImagesCheckOptionsSchema>, 'blocking' | 'threshold' | 'name'>;

/** Problems one image can have. */
const Problem = { undecodable: 'undecodable', wrongSize: 'wrong_size', wrongFormat: 'wrong_format', blank: 'blank', nearDuplicate: 'near_duplicate', missing: 'missing' } as const;
type Problem = (typeof Problem)[keyof typeof Problem];

/**
 * Checks the images of an images asset (the validation's target is its manifest): each image is
 * readable from the store and decodable, has the declared size and format, is not blank (luma
 * variance), and is no near-duplicate (difference hash) of another image of the asset or of the
 * `against` asset; per-category counts and the refusal rate must hold too.
 * Score = share of images without a problem. Threshold 1.
 * @example checks.images({ blocking: true, categories: { rows: 'products', column: 'category' } })
 */
export function imagesCheck(options: ImagesCheckOptions = {}): Check {
  return makeCheck('images', ImagesCheckOptionsSchema, options, 1, (ctx, o) => runImagesCheck(ctx, o));
}

interface Looked {
  row: ImageManifestRow;
  problems: Problem[];
  hash?: string;
}

async function runImagesCheck(ctx: CheckContext, o: Options): Promise<CheckOutcome> {
  const manifest = manifestOf(ctx.rows, ctx.asset, 'its target');
  if (!ctx.readObject) {
    throw new MaterializationError({
      what: `checks.images() of "${ctx.asset}" cannot read stored images.`,
      why: 'The engine running the check gives no object reader.',
      fix: 'Run it through `synth materialize`.',
      asset: ctx.asset,
    });
  }
  const { sniffFormat } = await import('./png-codec.js');
  const { decodeImage } = await import('./image-decode.js');
  const { differenceHash, lumaVariance } = await import('./perceptual-hash.js');
  const images = manifest.filter((m) => m.status === ImageStatus.ok);
  const refused = manifest.length - images.length;
  const looked: Looked[] = [];
  for (const [i, row] of images.entries()) {
    if (i % 64 === 63) {
      await new Promise((resolve) => setImmediate(resolve));
      ctx.signal.throwIfAborted();
    }
    const entry: Looked = { row, problems: [] };
    looked.push(entry);
    let bytes: Buffer;
    try {
      bytes = ctx.readObject(row.sha256!);
    } catch {
      entry.problems.push(Problem.missing);
      continue;
    }
    const format = sniffFormat(bytes);
    if ((o.format && format !== o.format) || format === 'unknown') entry.problems.push(Problem.wrongFormat);
    if (format === 'unknown') continue;
    let bitmap;
    try {
      bitmap = await decodeImage(bytes);
    } catch {
      entry.problems.push(Problem.undecodable);
      continue;
    }
    const wanted = o.size ?? (row.size === 'auto' ? null : row.size);
    if (wanted && `${bitmap.width}x${bitmap.height}` !== wanted) entry.problems.push(Problem.wrongSize);
    if (lumaVariance(bitmap) < o.minVariance) entry.problems.push(Problem.blank);
    entry.hash = differenceHash(bitmap);
  }
  const duplicates = nearDuplicates(looked, o.maxHashDistance);
  let against: Array<[string, string, number]> = [];
  if (o.against) {
    const other = manifestOf(dep(ctx, o.against), ctx.asset, `its input "${o.against}"`).filter((m) => m.status === ImageStatus.ok);
    const otherHashes: Array<{ id: string; hash: string }> = [];
    for (const m of other) {
      try {
        otherHashes.push({ id: m.id, hash: differenceHash(await decodeImage(ctx.readObject(m.sha256!))) });
      } catch {
        // an unreadable image of the other asset is that asset's check's business
      }
    }
    against = crossDuplicates(looked, otherHashes, o.maxHashDistance);
  }
  const byProblem: Record<Problem, string[]> = { undecodable: [], wrong_size: [], wrong_format: [], blank: [], near_duplicate: [], missing: [] };
  for (const l of looked) for (const p of l.problems) byProblem[p].push(l.row.id);
  const bad = looked.filter((l) => l.problems.length > 0).length;
  const refusalRate = manifest.length ? refused / manifest.length : 0;
  const categories = o.categories ? categoryCounts(ctx, images, o.categories) : null;
  const shortCategories = categories
    ? Object.entries(categories.counts)
        .filter(([, n]) => n < o.categories!.min)
        .map(([c]) => c)
    : [];
  const score = images.length === 0 ? (manifest.length === 0 ? 1 : 0) : 1 - bad / images.length;
  const extraFailures: string[] = [];
  if (refusalRate > o.maxRefusalRate) extraFailures.push(`refusal rate ${(refusalRate * 100).toFixed(1)}% > ${(o.maxRefusalRate * 100).toFixed(1)}%`);
  if (shortCategories.length) extraFailures.push(`categories under ${o.categories!.min} image(s): ${shortCategories.join(', ')}`);
  const counts = Object.entries(byProblem)
    .filter(([, ids]) => ids.length)
    .map(([p, ids]) => `${ids.length} ${p.replace('_', '-')}`);
  return {
    score,
    passed: extraFailures.length === 0 ? undefined : false,
    summary: `${images.length} images, ${bad} with problems${counts.length ? ` (${counts.join(', ')})` : ''}, ${refused} refused${extraFailures.length ? `; ${extraFailures.join('; ')}` : ''}`,
    details: {
      kind: 'images',
      images: images.length,
      refused,
      refusal_rate: refusalRate,
      problems: Object.fromEntries(Object.entries(byProblem).map(([p, ids]) => [p, { count: ids.length, examples: ids.slice(0, o.examples) }])),
      near_duplicate_pairs: duplicates.slice(0, o.examples),
      against_duplicate_pairs: against.slice(0, o.examples),
      categories: categories?.counts ?? null,
    },
    metrics: {
      images: images.length,
      refused,
      refusal_rate: refusalRate,
      blank: byProblem.blank.length,
      near_duplicates: byProblem.near_duplicate.length,
      undecodable: byProblem.undecodable.length + byProblem.missing.length,
    },
  };
}

function dep(ctx: CheckContext, key: string): unknown {
  if (!Object.hasOwn(ctx.inputs, key)) {
    throw new MaterializationError({
      what: `checks.images() of "${ctx.asset}" names input "${key}", which the validation does not have.`,
      why: `Its inputs are: ${Object.keys(ctx.inputs).join(', ')}.`,
      fix: `Add it to the validation's deps, or fix the name in checks.images().`,
      asset: ctx.asset,
    });
  }
  return ctx.inputs[key];
}

function manifestOf(rows: unknown, asset: string, what: string): ImageManifestRow[] {
  if (Array.isArray(rows) && (rows.length === 0 || isImageManifest(rows))) return rows as ImageManifestRow[];
  throw new MaterializationError({
    what: `checks.images() of "${asset}" expected an images manifest as ${what}.`,
    why: 'It checks the value of an images() asset (one row per image with sha256, status, prompt).',
    fix: 'Make the validation target (or `against`) an images() asset.',
    asset,
  });
}

/** 64-bit hashes as two 32-bit halves, so distances are two popcounts. */
function halves(hex: string): [number, number] {
  return [parseInt(hex.slice(0, 8), 16) >>> 0, parseInt(hex.slice(8, 16), 16) >>> 0];
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

function distance(a: [number, number], b: [number, number]): number {
  return popcount((a[0] ^ b[0]) >>> 0) + popcount((a[1] ^ b[1]) >>> 0);
}

/** Pairs of images of the asset within `max` bits; the later image of each pair is marked. */
function nearDuplicates(looked: Looked[], max: number): Array<[string, string, number]> {
  const hashed = looked.filter((l) => l.hash).map((l) => ({ l, h: halves(l.hash!) }));
  const pairs: Array<[string, string, number]> = [];
  for (let i = 0; i < hashed.length; i++) {
    for (let j = 0; j < i; j++) {
      const d = distance(hashed[i].h, hashed[j].h);
      if (d > max) continue;
      pairs.push([hashed[j].l.row.id, hashed[i].l.row.id, d]);
      if (!hashed[i].l.problems.includes(Problem.nearDuplicate)) hashed[i].l.problems.push(Problem.nearDuplicate);
      break;
    }
  }
  return pairs;
}

function crossDuplicates(looked: Looked[], other: Array<{ id: string; hash: string }>, max: number): Array<[string, string, number]> {
  const otherHalves = other.map((o) => ({ id: o.id, h: halves(o.hash) }));
  const pairs: Array<[string, string, number]> = [];
  for (const l of looked) {
    if (!l.hash) continue;
    const h = halves(l.hash);
    const hit = otherHalves.find((o) => distance(h, o.h) <= max);
    if (!hit) continue;
    pairs.push([l.row.id, hit.id, distance(h, hit.h)]);
    if (!l.problems.includes(Problem.nearDuplicate)) l.problems.push(Problem.nearDuplicate);
  }
  return pairs;
}

function categoryCounts(ctx: CheckContext, images: ImageManifestRow[], spec: { rows: string; column: string }): { counts: Record<string, number> } {
  const rows = dep(ctx, spec.rows);
  if (!Array.isArray(rows)) {
    throw new MaterializationError({
      what: `checks.images() categories.rows "${spec.rows}" of "${ctx.asset}" is not rows.`,
      why: 'Category counts join each image to its upstream row.',
      fix: 'Name the dataset the images were made from.',
      asset: ctx.asset,
    });
  }
  // Null prototype: category values are user data, never object keys with meaning.
  const counts: Record<string, number> = Object.create(null) as Record<string, number>;
  for (const row of rows as Row[]) {
    const c = row[spec.column];
    if (c !== undefined && c !== null) counts[String(c)] ??= 0;
  }
  for (const image of images) {
    if (image.row === null) continue;
    const c = (rows as Row[])[image.row]?.[spec.column];
    if (c === undefined || c === null) continue;
    counts[String(c)] = (counts[String(c)] ?? 0) + 1;
  }
  return { counts: { ...counts } };
}
