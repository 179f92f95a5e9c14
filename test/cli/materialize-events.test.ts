import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeProject, removeProject, synth } from '../support/project.js';

describe('synth materialize --events: the run as JSON Lines, ending with the --json document', () => {
  let dir: string;
  beforeAll(() => {
    dir = makeProject({}, { examples: true });
  });
  afterAll(() => removeProject(dir));

  it('prints one JSON event per line (progress with rate and ETA) and ends with the result; plain --json stays one document', () => {
    const r = synth(dir, ['materialize', '--events', '+penguins_synth']);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n').filter(Boolean);
    // Every line is a JSON object with an event name: nothing else is printed on stdout.
    const events = lines.map((l) => JSON.parse(l) as { event: string; [k: string]: unknown });
    expect(events.every((e) => typeof e.event === 'string')).toBe(true);
    expect(events[0]).toMatchObject({ event: 'run-started', assets: ['penguins', 'penguins_train', 'penguins_synth'] });
    const last = events[events.length - 1] as { event: string; result: { ok: boolean; run_id: string; assets: { asset: string; outcome: string }[] } };
    expect(last.event).toBe('result');
    expect(last.result.ok).toBe(true);
    expect(last.result.assets.map((a) => [a.asset, a.outcome])).toEqual([
      ['penguins', 'materialized'],
      ['penguins_train', 'materialized'],
      ['penguins_synth', 'materialized'],
    ]);
    const progress = events.filter((e) => e.event === 'progress') as unknown as { asset: string; done: number; total: number; rate: number | null; eta_s: number | null }[];
    expect(progress.length).toBeGreaterThanOrEqual(1);
    const end = progress.filter((p) => p.asset === 'penguins_synth').at(-1)!;
    expect(end).toMatchObject({ done: 1000, total: 1000, eta_s: 0 });
    expect(end.rate).toBeGreaterThan(0);
    // Each asset finishes once, before the result, with the --json document's fields.
    const finished = events.filter((e) => e.event === 'asset-finished');
    expect(finished.map((e) => e.asset).sort()).toEqual(['penguins', 'penguins_synth', 'penguins_train']);
    expect(events.findIndex((e) => e.event === 'run-finished')).toBe(events.length - 2);

    // The same run again with --json: one document, the same shape as the result line.
    const json = synth(dir, ['materialize', '--json', '--force', 'penguins_synth']);
    expect(json.code).toBe(0);
    const doc = JSON.parse(json.stdout) as Record<string, unknown>;
    expect(Object.keys(doc).sort()).toEqual(Object.keys(last.result).sort());
    expect(json.stdout.trim().split('\n')).toHaveLength(1);
  });

  it('keeps the stream valid when the selection is bad: an error document, exit 2', () => {
    const r = synth(dir, ['materialize', '--events', 'nope_not_an_asset', '--json']);
    expect(r.code).toBe(2);
    for (const line of r.stdout.split('\n').filter(Boolean)) expect(() => JSON.parse(line)).not.toThrow();
  });
});
