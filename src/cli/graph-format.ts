import type { ChalkInstance } from 'chalk';

/** The graph as commands draw it. */
export interface GraphView {
  nodes: { asset: string; kind: string; state: string; group?: string }[];
  edges: { from: string; to: string }[];
}

export const GraphFormat = { text: 'text', mermaid: 'mermaid', dot: 'dot', json: 'json' } as const;
export type GraphFormat = (typeof GraphFormat)[keyof typeof GraphFormat];

const STATE_COLOUR = { fresh: '#2e7d32', stale: '#f9a825', missing: '#c62828' } as Record<string, string>;
const DOT_SHAPE = { source: 'cylinder', dataset: 'folder', validation: 'diamond', model: 'box3d', asset: 'box' } as Record<string, string>;

/** `{"nodes": [{asset, kind, state}], "edges": [{from, to}]}` (the contract). */
export function graphJson(g: GraphView): string {
  return JSON.stringify({ nodes: g.nodes.map(({ asset, kind, state }) => ({ asset, kind, state })), edges: g.edges });
}

function id(name: string): string {
  return 'n_' + name.replace(/[^A-Za-z0-9_]/g, (ch) => `_${ch.charCodeAt(0).toString(16)}_`);
}

/** Mermaid flowchart (renders in GitHub Markdown): shapes by kind, classes by state. */
export function graphMermaid(g: GraphView): string {
  const shape: Record<string, [string, string]> = { source: ['[(', ')]'], dataset: ['[/', '/]'], validation: ['{{', '}}'], model: ['[[', ']]'], asset: ['[', ']'] };
  const lines = ['flowchart LR'];
  for (const n of g.nodes) {
    const [open, close] = shape[n.kind] ?? ['[', ']'];
    lines.push(`  ${id(n.asset)}${open}"${n.asset}<br/><small>${n.kind}</small>"${close}:::${n.state}`);
  }
  for (const e of g.edges) lines.push(`  ${id(e.from)} --> ${id(e.to)}`);
  for (const [state, colour] of Object.entries(STATE_COLOUR)) lines.push(`  classDef ${state} stroke:${colour},stroke-width:2px`);
  return lines.join('\n') + '\n';
}

/** Graphviz DOT: nodes shaped by kind and filled by state. */
export function graphDot(g: GraphView): string {
  const q = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  const lines = ['digraph synthgraph {', '  rankdir=LR;', '  node [style="filled,rounded" fontname="Helvetica" fontcolor="white"];'];
  for (const n of g.nodes) {
    lines.push(`  ${q(n.asset)} [label=${q(`${n.asset}\n${n.kind} · ${n.state}`)} shape=${DOT_SHAPE[n.kind] ?? 'box'} fillcolor=${q(STATE_COLOUR[n.state] ?? '#607d8b')}];`);
  }
  for (const e of g.edges) lines.push(`  ${q(e.from)} -> ${q(e.to)};`);
  lines.push('}');
  return lines.join('\n') + '\n';
}

/**
 * A text tree from each root down; an asset reached again (it has several parents) is printed
 * once in full and then referred to with "↑".
 */
export function graphText(g: GraphView, c: ChalkInstance): string {
  const byName = new Map(g.nodes.map((n) => [n.asset, n]));
  const children = new Map<string, string[]>();
  const hasParent = new Set<string>();
  for (const e of g.edges) {
    if (!byName.has(e.from) || !byName.has(e.to)) continue;
    children.set(e.from, [...(children.get(e.from) ?? []), e.to]);
    hasParent.add(e.to);
  }
  const colour = { fresh: c.green, stale: c.yellow, missing: c.red } as Record<string, ChalkInstance>;
  const label = (n: { asset: string; kind: string; state: string }) => `${n.asset} ${c.dim(`(${n.kind})`)} ${(colour[n.state] ?? c.white)(n.state)}`;
  const printed = new Set<string>();
  const out: string[] = [];
  const walk = (name: string, prefix: string, last: boolean, root: boolean) => {
    const node = byName.get(name)!;
    const branch = root ? '' : last ? '└─ ' : '├─ ';
    if (printed.has(name)) {
      out.push(`${prefix}${branch}${node.asset} ${c.dim('↑ (shown above)')}`);
      return;
    }
    printed.add(name);
    out.push(`${prefix}${branch}${label(node)}`);
    const kids = children.get(name) ?? [];
    const next = root ? '' : prefix + (last ? '   ' : '│  ');
    kids.forEach((k, i) => walk(k, root ? '' : next, i === kids.length - 1, false));
  };
  for (const n of g.nodes) if (!hasParent.has(n.asset)) walk(n.asset, '', true, true);
  return out.join('\n') + '\n';
}
