import { readCatalogData } from '../support/catalog.js';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { makeProject, removeProject, synthJson } from '../support/project.js';

const GOLDEN = fileURLToPath(new URL('./golden/example-hashes.json', import.meta.url));

let dir: string | undefined;
afterAll(() => dir && removeProject(dir));

/**
 * Every stored byte of the example pipelines is pinned: a refactoring of the engine (asset kinds,
 * generators, codecs) must give the same cache keys and the same stored objects. A deliberate
 * change (a new generator version) is accepted with `UPDATE_GOLDEN=1`, and said in the commit.
 */
describe('the example pipelines', () => {
  it('keep their cache keys and stored data byte for byte', () => {
    dir = makeProject({}, { examples: true });
    const run = synthJson<{ ok: boolean }>(dir, ['materialize']);
    expect(run.json.ok).toBe(true);
    const catalog = readCatalogData(dir) as unknown as {
      materializations: {
        asset: string;
        kind: string;
        cache_key: string;
        data_hash: string;
        csv_hash: string | null;
        prompt_hash: string | null;
        format: string;
        bytes: number;
        rows: number | null;
      }[];
    };
    const pinned = Object.fromEntries(
      catalog.materializations
        .map(
          (m) =>
            [
              m.asset,
              { kind: m.kind, cache_key: m.cache_key, data_hash: m.data_hash, csv_hash: m.csv_hash, prompt_hash: m.prompt_hash, format: m.format, bytes: m.bytes, rows: m.rows },
            ] as const,
        )
        .sort(([a], [b]) => a.localeCompare(b)),
    );
    expect(Object.keys(pinned).length).toBeGreaterThan(5);
    const text = `${JSON.stringify(pinned, null, 2)}\n`;
    if (process.env.UPDATE_GOLDEN === '1' || !existsSync(GOLDEN)) writeFileSync(GOLDEN, text);
    expect(text, 'cache keys and data hashes of the examples (UPDATE_GOLDEN=1 to accept a deliberate change)').toBe(readFileSync(GOLDEN, 'utf8'));
  });
});
