import { describe, expect, it } from 'vitest';
import type { GeneratorConfig } from '../../src/generators/generator.js';
import { keyedGeneratorConfig, loadGenerator } from '../../src/generators/registry.js';

describe('generator registry versions', () => {
  // The registry knows each version without loading the provider: it must not drift from the
  // version the provider reports, or cache keys would not change when the algorithm does.
  it.each<[string, GeneratorConfig]>([
    ['local', { provider: 'local' }],
    ['openai', { provider: 'openai', model: 'gpt-4o-mini-2024-07-18' }],
  ])('keys %s datasets with the version of the loaded generator', async (_name, config) => {
    const generator = await loadGenerator(config);
    expect(keyedGeneratorConfig(config).version).toBe(generator.version);
  });
});
