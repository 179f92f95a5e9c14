export { localGenerator, LOCAL_GENERATOR_VERSION } from './local-generator.js';
export { ColumnHintSchema, type ColumnHint } from './column-hints.js';
export { LocalGeneratorOptionsSchema, type LocalGeneratorOptions } from './generator-options.js';
