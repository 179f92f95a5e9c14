import { synthJson } from './project.js';

/** `synth materialize --json` (the contract's fields that tests read). */
export interface RunJson {
  run_id: string;
  ok: boolean;
  assets: { asset: string; kind: string; outcome: string; cache_key: string; data_hash: string | null; rows: number | null; error: string | null; materialization_id: string | null }[];
}

/** One entry of `synth status --json`. */
export interface StatusJson {
  asset: string;
  kind: string;
  state: string;
  reasons: string[];
  cache_key: string | null;
  data_hash: string | null;
}

/** `{ asset: outcome }` of a run. */
export const outcomes = (r: RunJson): Record<string, string> => Object.fromEntries(r.assets.map((a) => [a.asset, a.outcome]));

/** `{ asset: "state reason reason..." }` of status entries. */
export const states = (s: StatusJson[]): Record<string, string> => Object.fromEntries(s.map((a) => [a.asset, [a.state, ...a.reasons].join(' ')]));

/** Runs `synth status --json [selection]` and returns `{ asset: "state reasons..." }`. */
export const statusOf = (dir: string, selection: string[] = []): Record<string, string> => states(synthJson<StatusJson[]>(dir, ['status', ...selection]).json);
