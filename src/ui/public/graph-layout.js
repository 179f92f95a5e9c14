// The graph's layout: dagre per weakly connected component, components packed in rows. It runs
// in a worker (layout-worker.js) when the browser can, so that the page draws the panel and its
// charts on the main thread meanwhile; the same code runs in the page otherwise.
import dagre from '/vendor/dagre.js';

export const NODE_H = 46;
const GAP = 60; // between packed components
const nodeWidth = (n) => Math.max(118, Math.round(n.asset.length * 7.6) + 30, (n.kind.length + n.state.length) * 6.4 + 36);

/** Weakly connected components, largest first: each is laid out on its own (dagre is superlinear). */
function components(nodes, edges) {
  const parent = new Map(nodes.map((n) => [n.asset, n.asset]));
  const find = (a) => {
    while (parent.get(a) !== a) {
      parent.set(a, parent.get(parent.get(a)));
      a = parent.get(a);
    }
    return a;
  };
  for (const e of edges) parent.set(find(e.from), find(e.to));
  const groups = new Map();
  for (const n of nodes) {
    const r = find(n.asset);
    if (!groups.has(r)) groups.set(r, { nodes: [], edges: [] });
    groups.get(r).nodes.push(n);
  }
  for (const e of edges) groups.get(find(e.from)).edges.push(e);
  return [...groups.values()].sort((a, b) => b.nodes.length - a.nodes.length);
}

function layoutComponent(c) {
  if (c.nodes.length === 1) {
    const n = c.nodes[0];
    const w = nodeWidth(n);
    return { w, h: NODE_H, nodes: [{ n, x: w / 2, y: NODE_H / 2, w }], edges: [] };
  }
  const g = new dagre.graphlib.Graph();
  // Big components get tight-tree ranking, cheaper than network simplex past a few hundred nodes.
  // (Not longest-path: it pushes every sink to the last rank, and a wide fan-out then costs
  // thousands of dummy nodes, 10x slower.)
  g.setGraph({ rankdir: 'LR', nodesep: 14, ranksep: 54, edgesep: 8, ranker: c.nodes.length > 250 ? 'tight-tree' : 'network-simplex' });
  g.setDefaultEdgeLabel(() => ({}));
  // graphlib keeps nodes in plain objects: keyed '@name', an asset named __proto__ stays a node.
  const key = (name) => `@${name}`;
  for (const n of c.nodes) g.setNode(key(n.asset), { width: nodeWidth(n), height: NODE_H });
  for (const e of c.edges) g.setEdge(key(e.from), key(e.to));
  dagre.layout(g);
  const info = g.graph();
  return {
    w: info.width,
    h: info.height,
    nodes: c.nodes.map((n) => {
      const p = g.node(key(n.asset));
      return { n, x: p.x, y: p.y, w: p.width };
    }),
    edges: c.edges.map((e) => ({ e, points: g.edge(key(e.from), key(e.to)).points })),
  };
}

/** Lays out every component and packs them in rows (shelves), largest first. */
/** Positions of every node and edge point of `data` ({ nodes, edges }), and the whole size. */
export function layout(data) {
  const parts = components(data.nodes, data.edges).map((c) => ({ ...layoutComponent(c), group: sharedGroup(c.nodes) }));
  const area = parts.reduce((s, p) => s + (p.w + GAP) * (p.h + GAP), 0);
  const rowWidth = Math.max(1400, Math.sqrt(area) * 1.6, ...parts.map((p) => p.w));
  let x = 0;
  let y = 0;
  let rowH = 0;
  let maxW = 0;
  const placed = [];
  for (const p of parts) {
    const labelH = p.group ? 24 : 0;
    if (x > 0 && x + p.w > rowWidth) {
      x = 0;
      y += rowH + GAP;
      rowH = 0;
    }
    placed.push({ ...p, ox: x, oy: y + labelH });
    x += p.w + GAP;
    rowH = Math.max(rowH, p.h + labelH);
    maxW = Math.max(maxW, x - GAP);
  }
  return { parts: placed, w: maxW, h: y + rowH };
}

function sharedGroup(nodes) {
  const g = nodes[0].group;
  return nodes.length > 1 && g && g !== 'default' && nodes.every((n) => n.group === g) ? g : null;
}

let worker = null;
let nextId = 0;
const pending = new Map();

/** `layout(data)` in a worker (answers come in request order); in the page if workers fail. */
export function layoutOffThread(data) {
  try {
    if (!worker) {
      worker = new Worker('/layout-worker.js', { type: 'module' });
      worker.onmessage = (ev) => {
        pending.get(ev.data.id)?.resolve(ev.data.layout);
        pending.delete(ev.data.id);
      };
      worker.onerror = () => {
        // A worker that cannot start (no module workers): every waiting layout is done here.
        for (const [id, p] of pending) p.resolve(layout(p.data));
        pending.clear();
        worker = false;
      };
    }
    if (worker === false) return Promise.resolve(layout(data));
    const id = ++nextId;
    return new Promise((resolve) => {
      pending.set(id, { resolve, data });
      worker.postMessage({ id, data });
    });
  } catch {
    worker = false;
    return Promise.resolve(layout(data));
  }
}
