/**
 * The seed of a `seed: 'per-run'` tick: the scheduled fire time in whole Unix seconds
 * (e.g. 1736132400 for 2025-01-06T03:00:00Z). It depends only on the fire time, never on when
 * the run actually started, so a late or caught-up run gets the seed of the tick it stands
 * for, and `synth materialize SELECTION --seed N` reproduces any scheduled run.
 */
export function seedForFire(fire: Date): number {
  return Math.floor(fire.getTime() / 1000);
}
