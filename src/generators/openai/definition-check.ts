import { problemFromError, type DefinitionProblem } from '../../engine/index.js';
import type { GeneratorDefinitionRequest } from '../generator.js';
import { parseOpenAIConfig } from './config.js';

/** The openai generator's check of a dataset's generator block before anything runs (no SDK loaded). */
export function openaiDefinitionProblem(request: GeneratorDefinitionRequest): DefinitionProblem | undefined {
  try {
    parseOpenAIConfig(request.config, request.asset);
    return undefined;
  } catch (err) {
    return { ...problemFromError(err), near: /\bgenerator\s*:/ };
  }
}
