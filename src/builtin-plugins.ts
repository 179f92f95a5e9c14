// The built-in plug-ins: the prompt-file format and the local and openai generators, registered
// with the engine's seams. Imported for its effect by the CLI, never by the engine. Cheap:
// providers themselves load on first use.
import './rules/prompt-loader.js';
import './generators/default-provider.js';
import './generators/registry.js';
