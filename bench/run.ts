/**
 * Runs every benchmark under bench/ (files named *.bench.ts) and prints one table each.
 * `npm run bench` runs them all; `npm run bench -- engine` only those whose file name contains "engine".
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';

const dir = fileURLToPath(new URL('.', import.meta.url));
const filter = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => filter.length === 0 || filter.some((w) => f.includes(w)))
  .sort();

for (const file of files) {
  const mod = (await import(pathToFileURL(path.join(dir, file)).href)) as {
    title: string;
    default: () => Promise<Record<string, string | number>[]>;
  };
  console.log(`\n## ${mod.title} (${file})`);
  const started = Date.now();
  try {
    console.table(await mod.default());
  } catch (err) {
    console.log(`FAILED: ${(err as Error).stack}`);
    process.exitCode = 1;
  }
  console.log(`(${((Date.now() - started) / 1000).toFixed(1)} s)`);
}
