import { describe, expect, it } from 'vitest';
import { generate, repoPrompt } from './support.js';

describe('aborting the local generator', () => {
  const prompt = repoPrompt('ecommerce_v1');

  it('does not start when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(generate(prompt, { signal: controller.signal, rows: 10 })).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('stops promptly when aborted mid-run', async () => {
    const controller = new AbortController();
    const seen: number[] = [];
    const run = generate(prompt, {
      rows: 1_000_000,
      signal: controller.signal,
      progress: (done) => {
        seen.push(done);
        if (done >= 3000) controller.abort();
      },
    });
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(Math.max(...seen)).toBeLessThan(5000);
  });

  it('sees an abort from a timer while generating (it yields to the event loop)', async () => {
    const controller = new AbortController();
    let last = 0;
    const run = generate(prompt, { rows: 10_000_000, signal: controller.signal, progress: (done) => (last = done) });
    setTimeout(() => controller.abort(), 50);
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(last).toBeLessThan(10_000_000);
  });
});
