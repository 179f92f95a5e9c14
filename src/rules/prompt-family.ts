/**
 * The family of a prompt id and its number in it: `ecommerce_v2` → `{ family: 'ecommerce', number: 2 }`.
 * Versions of one prompt are files named `<family>_v<N>`; an id without `_vN` is its own family, number 1.
 * `synth tune` names the next version with it, and lineage registers every version of a family as
 * versions of one prompt in MLflow's prompt registry.
 */
export function promptFamily(id: string): { family: string; number: number } {
  const m = /^(.+)_v(\d+)$/.exec(id);
  return m ? { family: m[1], number: Number(m[2]) } : { family: id, number: 1 };
}
