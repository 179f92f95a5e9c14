import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Row } from '../../src/engine/index.js';
import { makeImages, type MakeImagesRequest } from '../../src/images/make-images.js';
import '../../src/images/register-openai-images.js';
import { parsePromptFile } from '../../src/rules/index.js';

/** A key distinctive enough to grep for: it must never reach the disk. */
export const SECRET_KEY = 'sk-test-IMAGES-SECRET-9c1e5b2d4680';

export const PHOTO_PROMPT = parsePromptFile(
  'prompts/product_photo_v1.yaml',
  `prompt_id: product_photo_v1
domain: ecommerce
template: A studio photo of {{name}}, a {{category}} product, on a plain background
`,
);

export function productRows(n: number): Row[] {
  const categories = ['Electronics', 'Home', 'Books', 'Toys', 'Sports'];
  return Array.from({ length: n }, (_, i) => ({ name: `Product ${i}`, category: categories[i % categories.length], price: 10 + i }));
}

export function tempDir(prefix = 'synth-images-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export interface Captured {
  warnings: string[];
  progress: Array<[number, number]>;
}

/** A makeImages request for product photos of `rows` against `baseURL` (openai) or offline. */
export function imagesRequest(
  stateDir: string,
  rows: Row[] | null,
  generator: Record<string, unknown>,
  extra: Partial<MakeImagesRequest> = {},
): MakeImagesRequest & { captured: Captured } {
  const captured: Captured = { warnings: [], progress: [] };
  return {
    asset: 'product_images',
    settings: {
      prompt: 'product_photo_v1',
      perRow: rows ? 1 : 0,
      count: rows ? 0 : 3,
      seed: 42,
      generator,
      size: generator.provider === 'local' ? '64x64' : '1024x1024',
      rowKey: 'name',
    },
    rows,
    promptFile: PHOTO_PROMPT,
    seed: 42,
    stateDir,
    signal: new AbortController().signal,
    progress: (done, total) => captured.progress.push([done, total]),
    warn: (m) => captured.warnings.push(m),
    env: { OPENAI_API_KEY: SECRET_KEY },
    captured,
    ...extra,
  };
}

export { makeImages };

/** Every file below a folder, recursively. */
export function filesBelow(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const full = join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else out.push(full);
    }
  };
  walk(dir);
  return out;
}

/** True when any file below `dir` contains `text`. */
export function anyFileContains(dir: string, text: string): boolean {
  return filesBelow(dir).some((f) => readFileSync(f).includes(text));
}
