import { closest } from 'fastest-levenshtein';
import { UsageError } from './errors.js';
import type { Project } from './project.js';

const ITEM = /^(?:(\d*)\+)?([A-Za-z_][\w.-]*)(?:\+(\d*))?$/;

/**
 * Resolves a selection, Dagster-style: `name`, `+name` (with all upstream), `name+` (with all
 * downstream), `+name+`, `2+name` / `name+1` (that many levels), `*` (all), `kind:dataset`,
 * `tag:KEY=VALUE`, `group:NAME`. Several items are a union. No item means everything.
 * Returns asset names in topological order.
 */
export function resolveSelection(project: Project, items: readonly string[]): string[] {
  const all = project.graph.order;
  if (items.length === 0) return [...all];
  const picked = new Set<string>();
  for (const raw of items.flatMap((i) => i.split(/[\s,]+/)).filter(Boolean)) {
    if (raw === '*') {
      for (const n of all) picked.add(n);
      continue;
    }
    const prefixed = /^(kind|tag|group):(.*)$/.exec(raw);
    if (prefixed) {
      const [, what, value] = prefixed;
      const before = picked.size;
      for (const a of project.assets.values()) {
        if (what === 'kind' && a.kind === value) picked.add(a.name);
        if (what === 'group' && a.group === value) picked.add(a.name);
        if (what === 'tag') {
          const [k, v] = value.split('=', 2);
          if (Object.hasOwn(a.def.tags, k) && (v === undefined || a.def.tags[k] === v)) picked.add(a.name);
        }
      }
      if (what === 'kind' && !['source', 'dataset', 'validation', 'model', 'asset'].includes(value)) {
        throw new UsageError({
          what: `Unknown kind in selection "${raw}".`,
          why: 'Kinds are source, dataset, validation, model and asset.',
          fix: `Use e.g. kind:dataset.`,
        });
      }
      if (picked.size === before && what !== 'kind') {
        throw new UsageError({
          what: `Selection "${raw}" matches no asset.`,
          why: what === 'tag' ? `No asset has the tag ${value}.` : `No asset is in group ${value}.`,
          fix: 'Run `synth status` to see assets, their groups and tags.',
        });
      }
      continue;
    }
    const m = ITEM.exec(raw);
    if (!m) {
      throw new UsageError({
        what: `Cannot read the selection "${raw}".`,
        why: 'A selection item is NAME, +NAME, NAME+, +NAME+, N+NAME, NAME+N, *, kind:KIND, tag:KEY=VALUE or group:NAME.',
        fix: 'Example: synth materialize +products_report',
      });
    }
    const [, up, name, down] = m;
    if (!project.graph.has(name)) {
      throw new UsageError({
        what: `Unknown asset "${name}" in the selection.`,
        why: `The project has no asset with that name.`,
        fix: `Did you mean "${closest(name, [...all])}"? Run \`synth status\` to list assets.`,
      });
    }
    picked.add(name);
    if (up !== undefined) for (const n of project.graph.ancestors(name, up === '' ? Infinity : Number(up))) picked.add(n);
    if (down !== undefined) for (const n of project.graph.descendants(name, down === '' ? Infinity : Number(down))) picked.add(n);
  }
  return project.graph.sort(picked);
}
