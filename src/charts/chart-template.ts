import type { ChartSpec } from './chart-spec.js';

/**
 * A Vega-Lite spec split into its shape and what varies between charts of that shape: the inline
 * data and the title texts. The twelve numeric columns of a report differ only there, so one
 * compiled Vega spec and one vega View serve them all (compiling, parsing and building a View is
 * about half of the cost of a chart).
 */
export interface SplitSpec {
  /** Equal for two specs exactly when one compiled template can draw both. */
  key: string;
  /** The spec with each inline data array replaced by a marker row and each title text by a token. */
  skeleton: ChartSpec;
  /** The inline data arrays, in the order of their markers. */
  data: unknown[][];
  /** The distinct title texts: text `i` is drawn where token `i` stands. */
  texts: string[];
}

/** The field a marker row carries: its value is the index of the data array it stands for. */
export const DATA_MARKER = 'synth_data_marker';

/** The signal name that stands for title text `i` (the trailing `_` keeps `…_1_` from matching `…_10_`). */
export function textToken(i: number): string {
  return `synth_text_${i}_`;
}

/** Splits a spec into its shape, data and title texts (see SplitSpec). */
export function splitSpec(spec: ChartSpec): SplitSpec {
  const data: unknown[][] = [];
  const texts: string[] = [];
  const token = (text: string) => {
    let i = texts.indexOf(text);
    if (i < 0) i = texts.push(text) - 1;
    return textToken(i);
  };
  // Titles also name the parts of each mark's description, where vega-lite merges equal titles,
  // a field's default title being its name. So a tooltip's title is a token only if it is also a
  // title elsewhere (a token there too), and a text equal to a field name stays as it is: tokens
  // merge exactly where the texts did.
  const titles = new Set<string>();
  const others = new Set<string>();
  const walk = (node: unknown, key: string | undefined, parentKey: string | undefined, tooltip: boolean, collect: boolean): unknown => {
    if (Array.isArray(node)) return node.map((x) => walk(x, undefined, key, tooltip, collect));
    if (typeof node === 'string') {
      const title = key === 'title' || (key === 'text' && parentKey === 'title');
      if (collect) (title && !tooltip ? titles : title ? new Set<string>() : others).add(node);
      if (collect || !title || others.has(node)) return node;
      return !tooltip || titles.has(node) ? token(node) : node;
    }
    if (node === null || typeof node !== 'object') return node;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) {
      if (k === 'values' && key === 'data' && Array.isArray(v)) out[k] = collect ? v : [{ [DATA_MARKER]: data.push(v) - 1 }];
      else out[k] = walk(v, k, key, tooltip || k === 'tooltip', collect);
    }
    return out;
  };
  walk(spec, undefined, undefined, false, true);
  const skeleton = walk(spec, undefined, undefined, false, false) as ChartSpec;
  return { key: JSON.stringify(skeleton), skeleton, data, texts };
}

/** Keys of a compiled Vega spec whose string value is an expression. */
const EXPRESSION_KEYS = new Set(['signal', 'expr', 'update', 'test']);

/** A compiled Vega spec ready to draw any chart of one shape, and where its data goes. */
export interface VegaTemplate {
  /** The Vega spec: title texts are signals `textToken(i)`, inline data sets are empty. */
  spec: Record<string, unknown>;
  /** Data set name in the Vega spec → index of the data array (SplitSpec.data) it receives. */
  datasets: Map<string, number>;
}

/**
 * Turns the Vega spec compiled from a skeleton into a template: a token standing alone becomes a
 * signal reference, a token inside an expression's string literal becomes a concatenation with
 * the signal, marker data sets are emptied (filled per chart with `view.data`). Tooltips are
 * dropped: an SVG string never shows them. Null when a token or a marker sits anywhere else, as
 * then only compiling the real spec is right.
 */
export function vegaTemplate(compiled: Record<string, unknown>, split: SplitSpec): VegaTemplate | null {
  const tokens = split.texts.map((_, i) => textToken(i));
  const tokenAt = new RegExp(tokens.length ? tokens.join('|') : '(?!)', 'g');
  const datasets = new Map<string, number>();
  let ok = true;
  const walk = (node: unknown, key: string | undefined): unknown => {
    if (Array.isArray(node)) return node.map((x) => walk(x, key));
    if (typeof node === 'string') {
      if (!tokenAt.test(node)) return node;
      tokenAt.lastIndex = 0;
      if (tokens.includes(node) && !EXPRESSION_KEYS.has(key ?? '')) return { signal: node };
      // VL writes string literals with JSON.stringify: a token inside one is cut out of the literal.
      if (EXPRESSION_KEYS.has(key ?? '') && insideDoubleQuotes(node, tokenAt)) return node.replace(tokenAt, (t) => `" + ${t} + "`);
      ok = false;
      return node;
    }
    if (node === null || typeof node !== 'object') return node;
    const o = node as Record<string, unknown>;
    if (typeof o.name === 'string' && Array.isArray(o.values)) {
      const marker = o.values.length === 1 ? (o.values[0] as Record<string, unknown>)?.[DATA_MARKER] : undefined;
      if (typeof marker !== 'number') return node;
      datasets.set(o.name, marker);
      return { ...Object.fromEntries(Object.entries(o).map(([k, v]) => [k, k === 'values' ? [] : walk(v, k)])) };
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(o)) if (k !== 'tooltip') out[k] = walk(v, k);
    return out;
  };
  const spec = walk(compiled, undefined) as Record<string, unknown>;
  if (!ok || datasets.size !== split.data.length || JSON.stringify(spec).includes(DATA_MARKER)) return null;
  spec.signals = [...((spec.signals as unknown[]) ?? []), ...tokens.map((name) => ({ name, value: '' }))];
  return { spec, datasets };
}

/** Whether every token in an expression sits inside a double-quoted string literal. */
function insideDoubleQuotes(expr: string, tokenAt: RegExp): boolean {
  let inside = true;
  for (const m of expr.matchAll(tokenAt)) {
    let quotes = 0;
    for (let i = 0; i < m.index; i++) {
      if (expr[i] === '\\') i++;
      else if (expr[i] === '"') quotes++;
    }
    inside &&= quotes % 2 === 1;
  }
  return inside;
}
