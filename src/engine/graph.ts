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
 * The asset graph (graphology, edges from upstream to downstream) with its topological order
 * computed once, since every command walks it.
 */
export class AssetGraph {
  /** Every asset name in a topological order (upstream before downstream; ties by name). */
  readonly order: readonly string[];
  private readonly position: ReadonlyMap<string, number>;

  private constructor(readonly graph: DirectedGraph) {
    this.order = topologicalSort(graph);
    this.position = new Map(this.order.map((n, i) => [n, i]));
  }

  /** Builds the graph; a cycle is a DefinitionError naming every asset on it. */
  static build(nodes: ReadonlyMap<string, GraphNode>, file?: string): AssetGraph {
    const graph = new DirectedGraph({ allowSelfLoops: true, multi: false });
    for (const name of [...nodes.keys()].sort()) graph.addNode(name);
    for (const node of nodes.values()) for (const up of node.upstream) graph.mergeEdge(up, node.name);
    if (hasCycle(graph)) {
      const cycles = stronglyConnectedComponents(graph).filter((c) => c.length > 1 || graph.hasEdge(c[0], c[0]));
      const described = cycles.map((c) => describeCycle(graph, c)).join('; ');
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
    return this.graph.hasNode(name);
  }

  /** Direct upstream asset names. */
  parents(name: string): string[] {
    return this.graph.inNeighbors(name);
  }

  /** Direct downstream asset names. */
  children(name: string): string[] {
    return this.graph.outNeighbors(name);
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
    return this.graph.mapEdges((_e, _a, from, to) => ({ from, to }));
  }

  private walk(name: string, mode: 'inbound' | 'outbound', depth: number): Set<string> {
    const out = new Set<string>();
    bfsFromNode(
      this.graph,
      name,
      (node, _attr, d) => {
        if (d > depth) return true;
        if (node !== name) out.add(node);
        return false;
      },
      { mode },
    );
    return out;
  }
}

/** Writes a strongly connected component as a readable cycle `a → b → c → a`. */
function describeCycle(graph: DirectedGraph, component: string[]): string {
  const inside = new Set(component);
  const start = [...component].sort()[0];
  const path = [start];
  const seen = new Set([start]);
  let current = start;
  for (;;) {
    const next = graph.outNeighbors(current).filter((n) => inside.has(n)).sort();
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
