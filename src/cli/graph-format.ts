import type { ChalkInstance } from 'chalk';

/** The graph as commands draw it. */
export interface GraphView {
  nodes: { asset: string; kind: string; state: string; group?: string }[];
  edges: { from: string; to: string }[];
}

export const GraphFormat = { text: 'text', mermaid: 'mermaid', dot: 'dot', json: 'json' } as const;
export type GraphFormat = (typeof GraphFormat)[keyof typeof GraphFormat];

const STATE_COLOUR = { fresh: '#2e7d32', stale: '#f9a825', missing: '#c62828' } as Record<string, string>;
const STATE_FILL = { fresh: '#e8f5e9', stale: '#fff6dc', missing: '#fdecea' } as Record<string, string>;
const DOT_SHAPE = { source: 'cylinder', dataset: 'folder', validation: 'hexagon', model: 'box3d', asset: 'box' } as Record<string, string>;

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
  for (const [state, colour] of Object.entries(STATE_COLOUR)) lines.push(`  classDef ${state} fill:${STATE_FILL[state]},stroke:${colour},stroke-width:2px,color:#1f2430`);
  return lines.join('\n') + '\n';
}

/** Graphviz DOT: nodes shaped by kind and filled by state. */
export function graphDot(g: GraphView): string {
  // Graphviz reads \n in a quoted string as a centred line break.
  const q = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
  const lines = ['digraph synthgraph {', '  rankdir=LR;', '  node [style="filled,rounded" fontname="Helvetica" fontcolor="#1f2430" penwidth=2];', '  edge [color="#9aa3b2"];'];
  for (const n of g.nodes) {
    const fill = STATE_FILL[n.state] ?? '#eceff1';
    const line = STATE_COLOUR[n.state] ?? '#607d8b';
    lines.push(`  ${q(n.asset)} [label=${q(`${n.asset}\n${n.kind} · ${n.state}`)} shape=${DOT_SHAPE[n.kind] ?? 'box'} fillcolor=${q(fill)} color=${q(line)}];`);
  }
  for (const e of g.edges) lines.push(`  ${q(e.from)} -> ${q(e.to)};`);
  lines.push('}');
  return lines.join('\n') + '\n';
}

/**
 * A text tree from each root down. An asset with several parents is printed in full once, under
 * the last of its parents to be printed (so everything it depends on has been shown by then),
 * noting the others; under its other parents it is a one-line reference.
 */
export function graphText(g: GraphView, c: ChalkInstance): string {
  const byName = new Map(g.nodes.map((n) => [n.asset, n]));
  const children = new Map<string, string[]>();
  const parents = new Map<string, string[]>();
  for (const e of g.edges) {
    if (!byName.has(e.from) || !byName.has(e.to)) continue;
    children.set(e.from, [...(children.get(e.from) ?? []), e.to]);
    parents.set(e.to, [...(parents.get(e.to) ?? []), e.from]);
  }
  for (const list of [...children.values(), ...parents.values()]) list.sort();
  const colour = { fresh: c.green, stale: c.yellow, missing: c.red } as Record<string, ChalkInstance>;
  const label = (n: GraphView['nodes'][number]) => `${n.asset} ${c.dim(`(${n.kind})`)} ${(colour[n.state] ?? c.white)(n.state)}`;
  const printed = new Set<string>();
  const out: string[] = [];
  const walk = (name: string, prefix: string, branch: string, childPrefix: string) => {
    const node = byName.get(name)!;
    const ups = parents.get(name) ?? [];
    if (printed.has(name)) {
      out.push(`${prefix}${branch}${node.asset} ${c.dim('↑ (shown above)')}`);
      return;
    }
    const waiting = ups.filter((p) => !printed.has(p));
    if (waiting.length) {
      out.push(`${prefix}${branch}${node.asset} ${c.dim(`↓ (shown below, under ${waiting[waiting.length - 1]})`)}`);
      return;
    }
    printed.add(name);
    out.push(`${prefix}${branch}${label(node)}${ups.length > 1 ? c.dim(`  ← ${ups.join(', ')}`) : ''}`);
    const kids = children.get(name) ?? [];
    kids.forEach((k, i) => walk(k, childPrefix, i === kids.length - 1 ? '└─ ' : '├─ ', childPrefix + (i === kids.length - 1 ? '   ' : '│  ')));
  };
  for (const n of g.nodes) if (!parents.has(n.asset)) walk(n.asset, '', '', '');
  return out.join('\n') + '\n';
}
