import { canonicalJson, hashJson, sha256, type Row } from '../engine/index.js';

/** One image to make: where it comes from, what is asked, and the key its answer is cached under. */
export interface ImageJob {
  /** Stable id within the asset: `<row>_<index>` per row, `<index>` for a fixed count. Used as the exported file name. */
  id: string;
  /** 0-based position of the upstream row, or null for a fixed count. */
  row: number | null;
  /** The upstream row's key (the `rowKey` column as text, else its position), or null. */
  rowKey: string | null;
  /** Image number within its row (or within the count), 0-based. */
  index: number;
  /** The prompt text sent (the template filled from the row). */
  prompt: string;
  /** What the offline painter picks its palette and motif from (the row's category, else the prompt). */
  theme: string;
  /** Per-request cache key: sha256 of what decides the image. */
  key: string;
}

/** What is the same for every job of one asset. */
export interface JobPlanInput {
  rows: readonly Row[] | null;
  /** Images per upstream row (with rows), or in all (without). */
  perRow: number;
  count: number;
  /** Fills the prompt template from a row (or from nothing, for a fixed count). */
  render(row: Row | null, index: number): string;
  /** Column holding each row's key. Default: none (the row's position). */
  rowKey?: string;
  /** Column the offline painter takes its theme from, when present. Default: `'category'`. */
  themeColumn?: string;
  seed: number;
  /** What decides an image besides the prompt: provider, model, size, quality, style, background, server. */
  drawing: Record<string, unknown>;
}

/**
 * Lists the images of an asset. Each key covers the prompt text, the row's own data (so a row that
 * changed gets new images even where the template does not show the change), the seed, the image's
 * number and the drawing settings: a changed row re-sends only its own requests.
 */
export function planImageJobs(input: JobPlanInput): ImageJob[] {
  const jobs: ImageJob[] = [];
  const keyOf = jobKeyMaker(input.drawing, input.seed);
  const themeColumn = input.themeColumn ?? 'category';
  if (input.rows) {
    input.rows.forEach((row, position) => {
      const rowData = hashJson(row);
      const keyValue = input.rowKey !== undefined && Object.hasOwn(row, input.rowKey) ? row[input.rowKey] : undefined;
      const rowKey = keyValue === undefined || keyValue === null ? String(position) : typeof keyValue === 'string' ? keyValue : JSON.stringify(keyValue);
      for (let index = 0; index < input.perRow; index++) {
        const prompt = input.render(row, index);
        const themeValue = Object.hasOwn(row, themeColumn) ? row[themeColumn] : undefined;
        jobs.push({
          id: `${position}_${index}`,
          row: position,
          rowKey,
          index,
          prompt,
          theme: themeValue === undefined || themeValue === null ? prompt : String(themeValue),
          key: keyOf(prompt, rowData, index),
        });
      }
    });
  } else {
    for (let index = 0; index < input.count; index++) {
      const prompt = input.render(null, index);
      jobs.push({
        id: String(index),
        row: null,
        rowKey: null,
        index,
        prompt,
        theme: prompt,
        key: keyOf(prompt, null, index),
      });
    }
  }
  return jobs;
}

/**
 * `hashJson({ v: 1, drawing, prompt, row, seed, index })` with the parts common to every job
 * serialized once (keys in canonical order): the same keys, without re-serializing the drawing
 * settings for each of thousands of images.
 */
function jobKeyMaker(drawing: Record<string, unknown>, seed: number): (prompt: string, row: string | null, index: number) => string {
  const head = `{"drawing":${canonicalJson(drawing)},"index":`;
  const tail = `,"seed":${canonicalJson(seed)},"v":1}`;
  return (prompt, row, index) => sha256(`${head}${canonicalJson(index)},"prompt":${JSON.stringify(prompt)},"row":${JSON.stringify(row)}${tail}`);
}
