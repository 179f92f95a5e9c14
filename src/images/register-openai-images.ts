// Registers the OpenAI Images runner (loaded on first use). Imported by src/builtin-plugins.ts.
import { registerOpenAIImages } from './openai-images-loader.js';

registerOpenAIImages(() => import('./openai-images.js'));
