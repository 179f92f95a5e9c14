import { setDefaultGenerator } from '../engine/index.js';

// Datasets that declare no generator use the embedded local one. Kept apart from the registry so
// the public entry sets it without reaching the providers (a definitions bundle that inlines
// synthgraph's sources would otherwise import the openai SDK).
setDefaultGenerator('local');
