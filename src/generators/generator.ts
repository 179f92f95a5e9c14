import type * as Engine from '../engine/index.js';
import type { PromptFile } from '../rules/prompt-file.js';

// The generator seam is defined by the engine (src/engine/generator-plugin.ts); the built-in
// providers see prompts as the prompt-file room makes them.
export type { GeneratorConfig, GenerateResult } from '../engine/index.js';

/** Everything a built-in generator needs to produce one dataset (prompts are `PromptFile`s). */
export type GenerateRequest = Engine.GenerateRequest<PromptFile>;
/** A built-in generator provider. */
export type Generator = Engine.Generator<PromptFile>;
/** What a built-in provider's definition check looks at. */
export type GeneratorDefinitionRequest = Engine.GeneratorDefinitionRequest<PromptFile>;
/** A built-in provider's check of a dataset's generator options and prompt hints. */
export type GeneratorDefinitionCheck = Engine.GeneratorDefinitionCheck<PromptFile>;
