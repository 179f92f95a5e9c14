import { registerGenerator, registerGeneratorWrapper } from '../engine/index.js';
import { withNoise } from '../noise/index.js';
import type { PromptFile } from '../rules/prompt-file.js';
import { LOCAL_GENERATOR_VERSION } from './local/generator-version.js';
import { OPENAI_GENERATOR_VERSION } from './openai/generator-version.js';
import { OPENAI_OPERATIONAL_OPTIONS } from './openai/operational-options.js';

// The built-in providers, registered through the engine's generator seam. Loaded lazily so that
// `status` never imports the openai SDK: only versions and option names are known up front.
registerGenerator<PromptFile>({
  provider: 'local',
  version: LOCAL_GENERATOR_VERSION,
  operational: [],
  load: async () => (await import('./local/index.js')).localGenerator,
  loadCheck: async () => (await import('./local/definition-check.js')).localDefinitionProblem,
});
registerGenerator<PromptFile>({
  provider: 'openai',
  version: OPENAI_GENERATOR_VERSION,
  operational: OPENAI_OPERATIONAL_OPTIONS,
  load: async () => (await import('./openai/index.js')).openaiGenerator,
  loadCheck: async () => (await import('./openai/definition-check.js')).openaiDefinitionProblem,
});

export { keyedGeneratorConfig, loadGenerator, overrideGenerator, providerNames, publicGeneratorConfig, withRunOptions } from '../engine/index.js';

// A prompt's `noise:` block applies to whatever any provider (built-in or plug-in) generated.
registerGeneratorWrapper(withNoise);
