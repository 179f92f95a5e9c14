import type { Generator, PromptResource } from '../engine/index.js';
import { applyNoise } from './apply-noise.js';
import { isNoiseless, type NoiseSettings } from './noise-settings.js';

/** A prompt that may carry a `noise:` block (the prompt-file room's `PromptFile` does). */
interface NoisyPrompt extends PromptResource {
  noise?: NoiseSettings;
}

/**
 * `generator` with its prompt's `noise:` block applied to the rows it returns, drawn with the
 * dataset's seed; the materialization metadata gets `noise: { declared, seed, applied }`.
 * A prompt without noise gets the generator's result untouched (byte-identical data).
 */
export function withNoise(generator: Generator): Generator {
  return {
    provider: generator.provider,
    version: generator.version,
    ...(generator.estimate ? { estimate: generator.estimate.bind(generator) } : {}),
    // Splitting a run (queue shards) only pre-fetches what `generate` then reads: noise is applied there.
    ...(generator.parts ? { parts: generator.parts.bind(generator) } : {}),
    ...(generator.prepareParts ? { prepareParts: generator.prepareParts.bind(generator) } : {}),
    async generate(request) {
      const result = await generator.generate(request);
      const settings = (request.prompt as NoisyPrompt).noise;
      if (isNoiseless(settings)) return result;
      const { rows, noise } = applyNoise(result.rows, settings!, request.seed);
      return { rows, metadata: { ...result.metadata, noise: { declared: settings, ...noise } } };
    },
  };
}
