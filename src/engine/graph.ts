import type { DirectedGraph } from 'graphology';
import type * as GraphologyComponents from 'graphology-components';
import { DefinitionError } from './errors.js';
import { lazyPackage } from './lazy-package.js';

/** The minimum the graph needs to know of an asset. */
export interface GraphNode {
  readonly name: string;
  readonly upstream: readonly string[];
}

// Only a cycle's message needs graphology (its strongly connected components): every command
// builds the graph, and on 10,000 assets graphology's edge objects and its generic sort were about
// a fifth of a no-op `materialize` (and its modules a part of every start-up).
const graphology = lazyPackage<{ DirectedGraph: typeof DirectedGraph }>('graphology');
const graphologyComponents = lazyPackage<typeof GraphologyComponents>('graphology-components');

/**
 * The asset graph (adjacency lists, edges from upstream to downstream) with its topological order
 * computed once, since every command walks it. Names are Map keys, never object keys, so a name
 * such as `__proto__` is an ordinary name.
 */
export class AssetGraph {
  /** Every asset name in a topological order (upstream before downstream; ties by name). */
  readonly order: readonly string[];
  private readonly position: ReadonlyMap<string, number>;

  private constructor(
    private readonly up: ReadonlyMap<string, readonly string[]>,
    private readonly down: ReadonlyMap<string, readonly string[]>,
    private readonly edgeList: readonly { from: string; to: string }[],
    order: string[],
  ) {
    this.order = order;
    const position = new Map<string, number>();
    for (let i = 0; i < order.length; i++) position.set(order[i], i);
    this.position = position;
  }

  /** Builds the graph; a cycle is a DefinitionError naming every asset on it. */
  static build(nodes: ReadonlyMap<string, GraphNode>, file?: string): AssetGraph {
    const up = new Map<string, string[]>();
    const down = new Map<string, string[]>();
    for (const name of nodes.keys()) {
      up.set(name, []);
      down.set(name, []);
    }
    const edgeList: { from: string; to: string }[] = [];
    const ensure = (n: string): void => {
      if (!up.has(n)) {
        up.set(n, []);
        down.set(n, []);
      }
    };
    for (const node of nodes.values()) {
      // A repeated upstream is one edge (a Set only for long lists: most assets have one or two).
      const seen = node.upstream.length > 8 ? new Set<string>() : undefined;
      const parents = up.get(node.name);
      for (const from of node.upstream) {
        if (seen ? seen.has(from) : parents?.includes(from)) continue;
        seen?.add(from);
        ensure(from);
        ensure(node.name);
        up.get(node.name)!.push(from);
        down.get(from)!.push(node.name);
        edgeList.push({ from, to: node.name });
      }
    }
    // Roots in name order (only they need sorting, not every name), then names known only as an upstream, as met.
    const roots: string[] = [];
    for (const name of nodes.keys()) if (up.get(name)!.length === 0) roots.push(name);
    roots.sort();
    for (const [name, parents] of up) if (parents.length === 0 && !nodes.has(name)) roots.push(name);
    const order = kahnOrder(roots, up, down);
    if (order.length < up.size) throw cycleError(edgeList, [...[...nodes.keys()].sort(), ...[...up.keys()].filter((n) => !nodes.has(n))], file);
    return new AssetGraph(up, down, edgeList, order);
  }

  has(name: string): boolean {
    return this.up.has(name);
  }

  /** Direct upstream asset names. */
  parents(name: string): string[] {
    return [...(this.up.get(name) ?? [])];
  }

  /** Direct downstream asset names. */
  children(name: string): string[] {
    return [...this.childrenOf(name)];
  }

  /** Direct downstream asset names, not copied (the executor asks for every asset's). */
  childrenOf(name: string): readonly string[] {
    return this.down.get(name) ?? [];
  }

  /** Upstream assets up to `depth` levels (Infinity: all), not including `name`. */
  ancestors(name: string, depth = Infinity): Set<string> {
    return walk(this.up, name, depth);
  }

  /** Downstream assets up to `depth` levels (Infinity: all), not including `name`. */
  descendants(name: string, depth = Infinity): Set<string> {
    return walk(this.down, name, depth);
  }

  /** Sorts names in topological order. */
  sort(names: Iterable<string>): string[] {
    const out = [...names];
    const at = (n: string): number => this.position.get(n) ?? 0;
    // Usually already in order (every asset, or a selection made from `order`): one pass instead of a sort.
    let sorted = true;
    for (let i = 1; i < out.length && sorted; i++) sorted = at(out[i - 1]) <= at(out[i]);
    return sorted ? out : out.sort((a, b) => at(a) - at(b));
  }

  edges(): { from: string; to: string }[] {
    return this.edgeList.map((e) => ({ ...e }));
  }
}

/**
 * Kahn's algorithm, first-in first-out from the roots in name order, children in the order their
 * edges were added: the order graphology-dag's topologicalSort gave, which runs and listings keep.
 * Shorter than the node count when there is a cycle.
 */
function kahnOrder(roots: readonly string[], up: ReadonlyMap<string, readonly string[]>, down: ReadonlyMap<string, readonly string[]>): string[] {
  const remaining = new Map<string, number>();
  const order = [...roots];
  for (let i = 0; i < order.length; i++) {
    for (const child of down.get(order[i]!)!) {
      const left = (remaining.get(child) ?? up.get(child)!.length) - 1;
      remaining.set(child, left);
      if (left === 0) order.push(child);
    }
  }
  return order;
}

/** Breadth first from `name` along `next`, up to `depth` levels, not including `name`. */
function walk(next: ReadonlyMap<string, readonly string[]>, name: string, depth: number): Set<string> {
  const out = new Set<string>();
  if (!next.has(name)) return out;
  const seen = new Set([name]);
  let level = [name];
  for (let d = 1; d <= depth && level.length; d++) {
    const following: string[] = [];
    for (const n of level) {
      for (const m of next.get(n)!) {
        if (seen.has(m)) continue;
        seen.add(m);
        out.add(m);
        following.push(m);
      }
    }
    level = following;
  }
  return out;
}

/**
 * The error for a graph with a cycle, naming every asset on each one (graphology's strongly
 * connected components). graphology keys neighbours in plain objects, so nodes are keyed `@name`
 * there: no user-given name is ever a property key.
 */
function cycleError(edgeList: readonly { from: string; to: string }[], names: readonly string[], file?: string): DefinitionError {
  const key = (name: string): string => `@${name}`;
  const nameOf = (k: string): string => k.slice(1);
  const graph = new (graphology().DirectedGraph)({ allowSelfLoops: true, multi: false });
  for (const name of names) graph.addNode(key(name));
  for (const { from, to } of edgeList) graph.mergeEdge(key(from), key(to));
  const cycles = graphologyComponents()
    .stronglyConnectedComponents(graph)
    .filter((c) => c.length > 1 || graph.hasEdge(c[0], c[0]))
    .map((c) => c.map(nameOf));
  const described = cycles.map((c) => describeCycle((n) => graph.outNeighbors(key(n)).map(nameOf), c)).join('; ');
  return new DefinitionError({
    what: `The assets form a dependency cycle: ${described}.`,
    why: 'An asset cannot depend, directly or through others, on itself: there would be no order to build them in.',
    fix: 'Remove one of the dependencies on the cycle.',
    file,
  });
}

/** Writes a strongly connected component as a readable cycle `a → b → c → a`. */
function describeCycle(outNeighbors: (name: string) => string[], component: string[]): string {
  const inside = new Set(component);
  const start = [...component].sort()[0];
  const path = [start];
  const seen = new Set([start]);
  let current = start;
  for (;;) {
    const next = outNeighbors(current)
      .filter((n) => inside.has(n))
      .sort();
    const back = next.find((n) => n === start);
    const fresh = next.find((n) => !seen.has(n));
    if (fresh && !(back && seen.size === inside.size)) {
      path.push(fresh);
      seen.add(fresh);
      current = fresh;
    } else {
      path.push(back ?? start);
      break;
    }
  }
  const missing = component.filter((n) => !seen.has(n));
  return path.join(' → ') + (missing.length ? ` (also on it: ${missing.sort().join(', ')})` : '');
}
