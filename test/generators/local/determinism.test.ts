import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generate, repo, repoPrompt } from './support.js';

const jsonl = (rows: unknown[]) => rows.map((r) => JSON.stringify(r)).join('\n');

describe('local generator determinism', () => {
  const prompt = repoPrompt('ecommerce_v1');

  it('gives the same rows, in the same order, for the same seed', async () => {
    const a = await generate(prompt, { rows: 2000, seed: 7 });
    const b = await generate(prompt, { rows: 2000, seed: 7 });
    expect(jsonl(b.rows)).toBe(jsonl(a.rows));
    expect(b.metadata).toEqual(a.metadata);
  });

  it('gives different rows for a different seed', async () => {
    const a = await generate(prompt, { rows: 200, seed: 7 });
    const b = await generate(prompt, { rows: 200, seed: 8 });
    expect(jsonl(b.rows)).not.toBe(jsonl(a.rows));
    const same = a.rows.filter((r, i) => JSON.stringify(r) === JSON.stringify(b.rows[i])).length;
    expect(same).toBeLessThan(5);
  });

  it('accepts any JS number as a seed (negative, huge, fractional)', async () => {
    const outs = await Promise.all([-1, 2 ** 40, 0.5].map((seed) => generate(prompt, { rows: 50, seed })));
    expect(new Set(outs.map((o) => jsonl(o.rows))).size).toBe(3);
  });

  it('a prefix of a longer run is the shorter run (rows do not depend on the total)', async () => {
    const short = await generate(prompt, { rows: 100, seed: 3 });
    const long = await generate(prompt, { rows: 300, seed: 3 });
    expect(jsonl(long.rows.slice(0, 100))).toBe(jsonl(short.rows));
  });

  it('gives byte-identical JSONL in another process', async () => {
    const local = await generate(prompt, { rows: 1000, seed: 11 });
    const hash = createHash('sha256').update(jsonl(local.rows)).digest('hex');
    const script = `
      import { createHash } from 'node:crypto';
      import { generate, repoPrompt } from ${JSON.stringify(path.join(repo, 'test/generators/local/support.ts'))};
      const out = await generate(repoPrompt('ecommerce_v1'), { rows: 1000, seed: 11 });
      process.stdout.write(createHash('sha256').update(out.rows.map((r) => JSON.stringify(r)).join('\\n')).digest('hex'));
    `;
    const other = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: repo, encoding: 'utf8' });
    expect(other.trim()).toBe(hash);
  });
});
