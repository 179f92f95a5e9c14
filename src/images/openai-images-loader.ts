import { UsageError } from '../engine/index.js';

/** The OpenAI Images runner module (openai-images.ts), which imports the openai SDK. */
type OpenAIImagesModule = typeof import('./openai-images.js');

let load: (() => Promise<OpenAIImagesModule>) | undefined;

/**
 * Says where the OpenAI Images runner is (`src/images/register-openai-images.ts`, imported by the
 * CLI's built-in plug-ins). Indirect on purpose: definitions that inline synthgraph's sources are
 * bundled, and a bundle follows every relative import, dynamic ones included; reaching the runner
 * from `images()` would load the openai SDK in every `synth status`.
 */
export function registerOpenAIImages(loader: () => Promise<OpenAIImagesModule>): void {
  load = loader;
}

/** The OpenAI Images runner. @throws UsageError when the built-in plug-ins were not imported. */
export async function openAIImages(): Promise<OpenAIImagesModule> {
  if (!load) {
    throw new UsageError({
      what: 'The OpenAI images provider is not registered.',
      why: "It registers when synthgraph's CLI (or its built-in plug-ins module) is loaded.",
      fix: "Run through `synth`; a program that drives the engine itself imports synthgraph's built-in plug-ins (src/builtin-plugins.ts) first.",
    });
  }
  return load();
}
