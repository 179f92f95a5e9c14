/** Real-world imperfections (`noise:` in a prompt file): applied after generation, measured in validation. */
export { NoiseSchema, NoiseKind, COLUMN_NOISE_KINDS, declaredRates, noiseColumns, isNoiseless, rateOf, type NoiseSettings, type ColumnNoiseKind } from './noise-settings.js';
export { applyNoise, type AppliedNoise } from './apply-noise.js';
export { measureNoise, missingRate, duplicateRate, formatInconsistencyRate, outlierRate, type NoiseMeasurement } from './measure-noise.js';
export { withNoise } from './noisy-generator.js';
export { withTypo } from './typo.js';
