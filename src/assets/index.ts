// The example pipelines: synth finds assets and schedules by walking these exports.
export * from './ecommerce.js';
export * from './penguins.js';
