import { registerPromptLoader } from '../engine/index.js';
import { promptFieldProblem } from './prompt-fields.js';
import { type PromptFile, loadPromptFile } from './prompt-file.js';

// Prompt files (`prompts/<id>.yaml`, rules, column hints) plug into the engine's prompt seam:
// the engine reads prompts through this loader without knowing YAML or the rule language.
registerPromptLoader<PromptFile>({ load: loadPromptFile, fieldProblem: promptFieldProblem });
