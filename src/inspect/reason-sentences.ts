import type { Project, AssetStatus, ObjectStore } from '../engine/index.js';
import { changedLines } from './changed-lines.js';

/**
 * Turns reason codes into the sentences `synth status` shows: "prompt ecommerce_v1 changed (3 lines)",
 * "seed 42 → 43", "upstream products re-materialized", "last run failed: ...".
 * With no status at hand, the codes are explained generically.
 */
export function describeReasons(project: Project, reasons: readonly string[], status?: AssetStatus, store?: ObjectStore, all?: ReadonlyMap<string, AssetStatus>): string[] {
  // A missing asset is missing whatever its upstream state: "never materialized" says it all.
  const shown = status?.state === 'missing' ? reasons.filter((r) => !r.startsWith('upstream:')) : reasons;
  // Most assets have nothing to explain: their record's key inputs (parsed from the catalog only
  // when asked for) are not read then.
  if (shown.length === 0) return status?.state === 'missing' ? ['never materialized'] : [];
  const before = status?.latest?.key_inputs;
  const now = status?.keyInputs;
  const asset = status ? project.assets.get(status.name) : undefined;
  const spec = asset?.def.spec as { seed?: number; rows?: number; generator?: Record<string, unknown> } | undefined;
  const out: string[] = [];
  for (const r of shown) {
    if (r === 'prompt') {
      const id = asset?.prompt?.id ?? before?.prompt?.id ?? 'prompt';
      let n: number | undefined;
      if (store && before?.prompt && asset?.prompt && store.has(before.prompt.hash)) n = changedLines(store.getText(before.prompt.hash), asset.prompt.content);
      if (before?.prompt && asset?.prompt && before.prompt.id !== asset.prompt.id) out.push(`prompt ${before.prompt.id} → ${asset.prompt.id}`);
      else out.push(`prompt ${id} changed${n !== undefined ? ` (${n} line${n === 1 ? '' : 's'})` : ''}`);
    } else if (r === 'seed') out.push(`seed ${before?.seed ?? '?'} → ${now?.seed ?? spec?.seed ?? '?'}`);
    else if (r === 'rows') out.push(`rows ${before?.rows ?? '?'} → ${now?.rows ?? spec?.rows ?? '?'}`);
    else if (r === 'generator') out.push(`generator ${genLabel(before?.generator)} → ${genLabel(now?.generator ?? spec?.generator)}`);
    else if (r === 'code') out.push('code changed');
    else if (r === 'data') out.push('source data changed');
    else if (r === 'dependencies') out.push('dependencies added or removed');
    else if (r === 'failed') out.push(`last run failed${status?.last?.error ? `: ${status.last.error.what}` : ''}`);
    else if (r.startsWith('upstream:')) {
      const up = all?.get(r.slice(9));
      const how = !up ? 'changed' : up.state === 'missing' ? 'never materialized' : up.state === 'stale' ? 'is stale' : 're-materialized';
      out.push(`upstream ${r.slice(9)} ${how}`);
    } else if (r.startsWith('blocked:')) out.push(`blocked by check ${r.slice(8)}`);
    else if (r === 'object-corrupt') out.push('stored object corrupt: rebuilt by the next materialize');
    else if (r === 'object-missing') out.push('stored object missing: rebuilt by the next materialize');
    else out.push(r);
  }
  if (status?.state === 'missing') out.unshift('never materialized');
  return out;
}

function genLabel(g: Record<string, unknown> | null | undefined): string {
  if (!g) return '?';
  const parts = [String(g.provider)];
  if (g.model) parts.push(String(g.model));
  const opts = Object.entries(g)
    .filter(([k]) => !['provider', 'model', 'version'].includes(k))
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  return parts.join(':') + (opts.length ? ` (${opts.join(', ')})` : '');
}
