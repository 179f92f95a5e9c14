import { DirectedGraph } from 'graphology';
import { stronglyConnectedComponents } from 'graphology-components';
import { hasCycle, topologicalSort } from 'graphology-dag';
import { bfsFromNode } from 'graphology-traversal';
import { DefinitionError } from './errors.js';

/** The minimum the graph needs to know of an asset. */
export interface GraphNode {
  readonly name: string;
  readonly upstream: readonly string[];
}

/**
 * graphology and graphology-dag keep neighbours and in-degrees in plain objects keyed by node:
 * a node named `__proto__` or `constructor` would reach Object.prototype (wrong order, endless
 * loops). Nodes are therefore keyed `@name` inside graphology, and names are translated at this
 * class's edge, so no user-given name is ever a property key there.
 */
const key = (name: string): string => `@${name}`;
const nameOf = (k: string): string => k.slice(1);

/**
 * The asset graph (graphology, edges from upstream to downstream) with its topological order
 * computed once, since every command walks it.
 */
export class AssetGraph {
  /** Every asset name in a topological order (upstream before downstream; ties by name). */
  readonly order: readonly string[];
  private readonly position: ReadonlyMap<string, number>;

  private constructor(private readonly graph: DirectedGraph) {
    this.order = topologicalSort(graph).map(nameOf);
    this.position = new Map(this.order.map((n, i) => [n, i]));
  }

  /** Builds the graph; a cycle is a DefinitionError naming every asset on it. */
  static build(nodes: ReadonlyMap<string, GraphNode>, file?: string): AssetGraph {
    const graph = new DirectedGraph({ allowSelfLoops: true, multi: false });
    for (const name of [...nodes.keys()].sort()) graph.addNode(key(name));
    for (const node of nodes.values()) for (const up of node.upstream) graph.mergeEdge(key(up), key(node.name));
    if (hasCycle(graph)) {
      const cycles = stronglyConnectedComponents(graph)
        .filter((c) => c.length > 1 || graph.hasEdge(c[0], c[0]))
        .map((c) => c.map(nameOf));
      const described = cycles.map((c) => describeCycle((n) => graph.outNeighbors(key(n)).map(nameOf), c)).join('; ');
      throw new DefinitionError({
        what: `The assets form a dependency cycle: ${described}.`,
        why: 'An asset cannot depend, directly or through others, on itself: there would be no order to build them in.',
        fix: 'Remove one of the dependencies on the cycle.',
        file,
      });
    }
    return new AssetGraph(graph);
  }

  has(name: string): boolean {
    return this.graph.hasNode(key(name));
  }

  /** Direct upstream asset names. */
  parents(name: string): string[] {
    return this.graph.inNeighbors(key(name)).map(nameOf);
  }

  /** Direct downstream asset names. */
  children(name: string): string[] {
    return this.graph.outNeighbors(key(name)).map(nameOf);
  }

  /** Upstream assets up to `depth` levels (Infinity: all), not including `name`. */
  ancestors(name: string, depth = Infinity): Set<string> {
    return this.walk(name, 'inbound', depth);
  }

  /** Downstream assets up to `depth` levels (Infinity: all), not including `name`. */
  descendants(name: string, depth = Infinity): Set<string> {
    return this.walk(name, 'outbound', depth);
  }

  /** Sorts names in topological order. */
  sort(names: Iterable<string>): string[] {
    return [...names].sort((a, b) => (this.position.get(a) ?? 0) - (this.position.get(b) ?? 0));
  }

  edges(): { from: string; to: string }[] {
    return this.graph.mapEdges((_e, _a, from, to) => ({ from: nameOf(from), to: nameOf(to) }));
  }

  private walk(name: string, mode: 'inbound' | 'outbound', depth: number): Set<string> {
    const out = new Set<string>();
    bfsFromNode(
      this.graph,
      key(name),
      (node, _attr, d) => {
        if (d > depth) return true;
        if (node !== key(name)) out.add(nameOf(node));
        return false;
      },
      { mode },
    );
    return out;
  }
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
