import { describe, expect, it } from 'vitest';
import { cacheKeyOf } from '../../src/engine/cache-key.js';
import type { KeyInputs } from '../../src/engine/catalog.js';
import { hashJson } from '../../src/engine/hashing.js';

const base: KeyInputs = {
  kind: 'dataset',
  name: 'orders',
  code: 'schema:abc',
  prompt: { id: 'orders.prompt', hash: 'p1' },
  seed: 42,
  generator: { version: 3, provider: 'openai', model: 'm', temperature: 0.2, nested: { b: 1, a: [2, { d: 1, c: 2 }] } },
  rows: 1000,
  upstream: { 'z"up': 'h1', a: 'h2', 'ü/ß': 'h3', __proto__x: 'h4' },
  observed: null,
};

/** The cache key's own writer must give the bytes of canonical JSON, for every shape key inputs take. */
describe('cacheKeyOf', () => {
  const shapes: [string, KeyInputs][] = [
    ['every field set', base],
    ['nulls', { ...base, prompt: null, seed: null, generator: null, rows: null, observed: 'obs\n"x"', upstream: {} }],
    ['fields in another order', { upstream: base.upstream, observed: null, rows: 1, generator: null, seed: -0.5, prompt: { hash: 'h', id: 'i' }, code: 'v:1', name: 'n', kind: 'k' }],
    ['an extra field (a record written by a newer release)', { ...base, extra: 1 } as KeyInputs],
    ['an undefined field', { ...base, generator: undefined } as unknown as KeyInputs],
    ['an extra prompt field', { ...base, prompt: { id: 'i', hash: 'h', more: true } } as KeyInputs],
  ];
  for (const [what, inputs] of shapes) {
    it(`is the sha256 of the canonical JSON (${what})`, () => {
      expect(cacheKeyOf(inputs)).toBe(hashJson(inputs));
    });
  }

  it('changes with any field', () => {
    const keys = new Set([base, { ...base, seed: 43 }, { ...base, upstream: { ...base.upstream, a: 'h9' } }, { ...base, code: 'schema:abd' }].map(cacheKeyOf));
    expect(keys.size).toBe(4);
  });
});
