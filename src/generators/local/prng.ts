/**
 * The local generator's PRNG: sfc32 from the engine's one seeded-random module, which also serves
 * as faker's randomizer so that one seed drives every random choice. Its stream is pinned by
 * test/engine/seeded-random.test.ts: stored rows depend on it.
 */
export { Sfc32 as Prng, cumulate } from '../../engine/index.js';
