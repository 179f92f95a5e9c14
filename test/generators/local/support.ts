import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { Row, RowSchema } from '../../../src/engine/rows.js';
import type { GenerateRequest, GenerateResult } from '../../../src/generators/generator.js';
import { localGenerator } from '../../../src/generators/local/index.js';
import { loadPromptFile, type PromptFile } from '../../../src/rules/index.js';

export const repo = fileURLToPath(new URL('../../..', import.meta.url));

/** The contract's ecommerce schema. */
export const Product = z.object({
  name: z.string().describe('product name'),
  description: z.string(),
  category: z.enum(['Electronics', 'Home', 'Books', 'Toys', 'Sports']),
  price: z.number().positive().describe('price in USD'),
  features: z.array(z.string()).min(1),
});

/** vega-datasets penguins, with its exact field names. */
export const Penguin = z.object({
  Species: z.enum(['Adelie', 'Chinstrap', 'Gentoo']),
  Island: z.enum(['Torgersen', 'Biscoe', 'Dream']),
  'Beak Length (mm)': z.number().positive().nullable(),
  'Beak Depth (mm)': z.number().positive().nullable(),
  'Flipper Length (mm)': z.number().int().positive().nullable(),
  'Body Mass (g)': z.number().int().positive().nullable(),
  Sex: z.enum(['MALE', 'FEMALE']).nullable(),
});

export function penguinsReference(): Row[] {
  return JSON.parse(readFileSync(path.join(repo, 'node_modules/vega-datasets/data/penguins.json'), 'utf8')) as Row[];
}

/** A prompt file from the repository's prompts/. */
export function repoPrompt(id: string): PromptFile {
  return loadPromptFile(path.join(repo, 'prompts'), id);
}

/** Writes `prompts/<id>.yaml` in a fresh temp folder and loads it like the engine does. */
export function tempPrompt(id: string, yaml: string): PromptFile {
  const dir = mkdtempSync(path.join(tmpdir(), 'synth-local-'));
  try {
    writeFileSync(path.join(dir, `${id}.yaml`), yaml);
    // Read whole when loaded (nothing reads the file again), so its folder can go at once.
    return loadPromptFile(dir, id);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface RunOptions extends Partial<Omit<GenerateRequest, 'schema' | 'prompt'>> {
  schema?: z.ZodObject;
}

/** Calls the real local generator with sensible defaults. */
export function generate(prompt: PromptFile, options: RunOptions = {}): Promise<GenerateResult> {
  const { schema = Product, ...rest } = options;
  return localGenerator.generate({
    asset: 'products',
    rows: 200,
    seed: 42,
    config: { provider: 'local' },
    stateDir: path.join(tmpdir(), 'synth-local-state'),
    signal: new AbortController().signal,
    progress() {},
    warn() {},
    ...rest,
    schema: schema as unknown as RowSchema,
    prompt,
  });
}

export function mean(values: readonly number[]): number {
  return values.reduce((s, v) => s + v, 0) / values.length;
}

export function std(values: readonly number[]): number {
  const m = mean(values);
  return Math.sqrt(values.reduce((s, v) => s + (v - m) ** 2, 0) / (values.length - 1));
}

/** Runs `fn` and returns what it threw (fails the test when it does not throw). */
export async function thrown(fn: () => Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await fn();
  } catch (err) {
    return err as Error & Record<string, unknown>;
  }
  throw new Error('expected an error, but none was thrown');
}

/** vega-datasets cars: 406 rows, Cylinders in {3, 4, 5, 6, 8}, model years 1970-1982 as dates, car names. */
export const cars = (): Row[] => JSON.parse(readFileSync(path.join(repo, 'node_modules/vega-datasets/data/cars.json'), 'utf8')) as Row[];

/** The cars table's schema, as a user would declare it. */
export const Car = z.object({
  Name: z.string(),
  Miles_per_Gallon: z.number().nullable(),
  Cylinders: z.number().int(),
  Displacement: z.number(),
  Horsepower: z.number().nullable(),
  Weight_in_lbs: z.number().int(),
  Acceleration: z.number(),
  Year: z.iso.date(),
  Origin: z.enum(['USA', 'Europe', 'Japan']),
});

/** A minimal prompt file for the cars table. */
export const carsPrompt = (): PromptFile => tempPrompt('cars_v1', 'prompt_id: cars_v1\ndomain: automotive\nversion: 1\ntemplate: Generate {{rows}} cars.\n');
