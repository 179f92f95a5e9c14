import { type Materialization, diffKeyInputs } from '../engine/index.js';

/** Why each materialization happened: what changed since the one before it. */
export function historyReasons(list: readonly Materialization[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  let prev: Materialization | undefined;
  for (const m of list) {
    out.set(m.id, !prev ? ['first'] : prev.key_inputs && m.key_inputs ? diffKeyInputs(prev.key_inputs, m.key_inputs) : []);
    if (m.status === 'success') prev = m;
  }
  return out;
}
