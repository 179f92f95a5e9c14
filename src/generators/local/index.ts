export { localGenerator } from './local-generator.js';
export { LOCAL_GENERATOR_VERSION } from './generator-version.js';
export { ColumnHintSchema, type ColumnHint } from './column-hints.js';
export { LocalGeneratorOptionsSchema, type LocalGeneratorOptions } from './generator-options.js';
