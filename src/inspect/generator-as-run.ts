import type { Materialization } from '../engine/index.js';

/** The generator as it ran, plus the `version` its cache key recorded (so a model update shows). */
export function generatorAsRun(m: Materialization): Record<string, unknown> | null {
  const version = m.key_inputs?.generator?.version;
  return m.generator ? { ...m.generator, ...(version !== undefined && m.generator.version === undefined ? { version } : {}) } : null;
}
