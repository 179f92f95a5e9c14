// The built-in plug-ins: the asset kinds, the prompt-file format and the local and openai
// generators, registered with the engine's seams. Imported for its effect by the CLI, never by the
// engine. Cheap: providers themselves load on first use.
import './builtin-kinds.js';
import './rules/prompt-loader.js';
import './generators/default-provider.js';
import './generators/registry.js';
import './images/register-openai-images.js';
