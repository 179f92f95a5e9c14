/**
 * Version of the local generator's algorithm, part of every cache key. Bump it whenever the
 * same inputs would give different bytes (a new inference, vocabulary or sampler change; a
 * faker upgrade that changes its data counts too). Kept in this import-free file so the
 * generator registry can read it without loading faker.
 */
export const LOCAL_GENERATOR_VERSION = 'local-2';
