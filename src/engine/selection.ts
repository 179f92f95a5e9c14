import { closest } from 'fastest-levenshtein';
import picomatch from 'picomatch';
import { assetKindNames } from './asset-kind-registry.js';
import { UsageError } from './errors.js';
import { didYouMeanText } from './option-issues.js';
import type { Project } from './project.js';
import { SELECTION_NAME } from './selection-names.js';

/** A word: an optional `N+` before, the atom, an optional `+N` after. */
const WORD = /^(\d*\+)?(.*?)(\+\d*)?$/;
const FUNCTIONS = ['roots', 'sinks'] as const;

const SYNTAX =
  'A selection is NAME, a glob (key:prod*), *, kind:KIND, tag:KEY[=VALUE] or group:NAME; +X / X+ add all upstream / downstream ' +
  '(N+X / X+N: N levels); combine with and, or, not and parentheses, or roots(X) / sinks(X). Several items are a union.';

interface Token {
  text: string;
  /** Offset in the item, for messages. */
  at: number;
  /** Whether whitespace came right before it (a `+` glued to `)` is a downstream suffix). */
  spaced: boolean;
}

type Node =
  | { type: 'atom'; text: string }
  | { type: 'all' }
  | { type: 'or' | 'and'; left: Node; right: Node }
  | { type: 'not'; inner: Node }
  | { type: 'fn'; name: (typeof FUNCTIONS)[number]; inner: Node }
  | { type: 'traverse'; inner: Node; up?: number; down?: number };

/**
 * Resolves a selection, Dagster-style: `name`, `key:glob` (`key:penguins_*`), `+name` (with all
 * upstream), `name+` (with all downstream), `+name+`, `2+name` / `name+1` (that many levels),
 * `*` (all), `kind:dataset`, `tag:KEY[=VALUE]`, `group:NAME`, combined with `and`, `or`, `not`
 * and parentheses, `roots(...)` / `sinks(...)`; `+`/`+N` apply to parenthesised groups too.
 * Several items (or words separated by spaces or commas) are a union. No item means everything.
 * An atom that matches no asset is a usage error (a typo), even when others do match.
 * Returns asset names in topological order.
 */
export function resolveSelection(project: Project, items: readonly string[]): string[] {
  if (items.length === 0) return [...project.graph.order];
  const picked = new Set<string>();
  for (const item of items) {
    if (item.trim() === '') continue;
    for (const name of evaluate(project, parseSelection(item))) picked.add(name);
  }
  return project.graph.sort(picked);
}

function syntaxError(item: string, what: string, at?: number): UsageError {
  return new UsageError({
    what: `Cannot read the selection "${item}": ${what}${at !== undefined ? ` (at character ${at + 1})` : ''}.`,
    why: SYNTAX,
    fix: "Examples: synth materialize +products_report; synth status 'group:penguins and not kind:validation'; synth status 'roots(key:penguins*)'",
  });
}

function tokenize(item: string): Token[] {
  const tokens: Token[] = [];
  const re = /\s*([(),]|[^\s(),]+)/gy;
  let m: RegExpExecArray | null;
  let last = 0;
  while ((m = re.exec(item)) !== null) {
    const at = m.index + m[0].length - m[1].length;
    tokens.push({ text: m[1], at, spaced: at > last || tokens.length === 0 });
    last = re.lastIndex;
  }
  if (item.slice(last).trim() !== '') throw syntaxError(item, 'unexpected text', last);
  return tokens;
}

const levels = (part: string | undefined): number | undefined => {
  if (part === undefined) return undefined;
  const n = part.replace('+', '');
  return n === '' ? Infinity : Number(n);
};

/** Parses one selection item into a tree (precedence: not, and, or / space / comma). */
export function parseSelection(item: string): Node {
  const tokens = tokenize(item);
  let i = 0;
  const peek = () => tokens[i]?.text.toLowerCase();
  const startsPrimary = () => i < tokens.length && ![')', ','].includes(tokens[i].text) && !['and', 'or'].includes(peek() ?? '');

  const orExpr = (): Node => {
    let left = andExpr();
    for (;;) {
      if (peek() === 'or' || peek() === ',') i++;
      else if (!startsPrimary()) return left;
      left = { type: 'or', left, right: andExpr() };
    }
  };
  const andExpr = (): Node => {
    let left = notExpr();
    while (peek() === 'and') {
      i++;
      left = { type: 'and', left, right: notExpr() };
    }
    return left;
  };
  const notExpr = (): Node => {
    if (peek() === 'not') {
      i++;
      return { type: 'not', inner: notExpr() };
    }
    return traversal();
  };
  const traversal = (): Node => {
    const token = tokens[i];
    if (!token || !startsPrimary()) throw syntaxError(item, token ? `unexpected "${token.text}"` : 'it ends where a selection was expected', token?.at);
    const [, up, core, down] = token.text === '(' ? [] : WORD.exec(token.text)!;
    let node: Node;
    if (token.text === '(') {
      node = parenthesised();
    } else if (core === '') {
      // A bare `+` / `2+` before a parenthesised group or a function call.
      if (down !== undefined && up === undefined) throw syntaxError(item, `"${token.text}" has nothing before it`, token.at);
      i++;
      node = primaryGroup(token);
    } else if (tokens[i + 1]?.text === '(' && !tokens[i + 1].spaced) {
      i++;
      node = call(core, token);
    } else {
      i++;
      node = core === '*' ? { type: 'all' } : { type: 'atom', text: core };
    }
    // A `+` / `+2` glued to the closing parenthesis: downstream of the group.
    let after = down;
    const next = tokens[i];
    if (after === undefined && tokens[i - 1]?.text === ')' && next && !next.spaced && /^\+\d*$/.test(next.text)) {
      after = next.text;
      i++;
    }
    if (up === undefined && after === undefined) return node;
    return { type: 'traverse', inner: node, up: levels(up), down: levels(after) };
  };
  const primaryGroup = (token: Token): Node => {
    if (tokens[i]?.text !== '(') throw syntaxError(item, `"${token.text}" must stand before an asset, a group in parentheses or a function`, token.at);
    return parenthesised();
  };
  const parenthesised = (): Node => {
    const open = tokens[i];
    i++;
    const inner = orExpr();
    if (tokens[i]?.text !== ')') throw syntaxError(item, 'a parenthesis is not closed', open.at);
    i++;
    return inner;
  };
  const call = (name: string, token: Token): Node => {
    const fn = FUNCTIONS.find((f) => f === name.toLowerCase());
    if (!fn) throw syntaxError(item, `unknown function "${name}" (functions: ${FUNCTIONS.join(', ')})`, token.at);
    return { type: 'fn', name: fn, inner: parenthesised() };
  };

  if (tokens.length === 0) throw syntaxError(item, 'it is empty');
  const tree = orExpr();
  if (i < tokens.length) throw syntaxError(item, `unexpected "${tokens[i].text}"`, tokens[i].at);
  return tree;
}

function evaluate(project: Project, node: Node): Set<string> {
  const graph = project.graph;
  switch (node.type) {
    case 'all':
      return new Set(graph.order);
    case 'atom':
      return atom(project, node.text);
    case 'or':
      return new Set([...evaluate(project, node.left), ...evaluate(project, node.right)]);
    case 'and': {
      const right = evaluate(project, node.right);
      return new Set([...evaluate(project, node.left)].filter((n) => right.has(n)));
    }
    case 'not': {
      const inner = evaluate(project, node.inner);
      return new Set(graph.order.filter((n) => !inner.has(n)));
    }
    case 'fn': {
      const inner = evaluate(project, node.inner);
      const edges = node.name === 'roots' ? (n: string) => graph.parents(n) : (n: string) => graph.children(n);
      return new Set([...inner].filter((n) => !edges(n).some((m) => inner.has(m))));
    }
    case 'traverse': {
      const out = evaluate(project, node.inner);
      for (const name of [...out]) {
        if (node.up !== undefined) for (const n of graph.ancestors(name, node.up)) out.add(n);
        if (node.down !== undefined) for (const n of graph.descendants(name, node.down)) out.add(n);
      }
      return out;
    }
  }
}

/** One atom: a name or glob, `key:`, `kind:`, `tag:` or `group:`. Matching nothing is an error. */
function atom(project: Project, text: string): Set<string> {
  const all = project.graph.order;
  const prefixed = /^(key|kind|tag|group):(.*)$/.exec(text);
  const [what, value] = prefixed ? [prefixed[1], prefixed[2]] : ['key', text];
  const assets = [...project.assets.values()];
  let matched: string[];
  if (what === 'key') {
    const glob = /[*?[\]{}!]/.test(value);
    if (!glob) {
      if (!SELECTION_NAME.test(value)) throw syntaxError(text, `"${value}" is not an asset name`);
      if (project.graph.has(value)) return new Set([value]);
      throw new UsageError({
        what: `Unknown asset "${value}" in the selection.`,
        why: 'The project has no asset with that name.',
        fix: `Did you mean "${closest(value, [...all])}"? Run \`synth status\` to list assets.`,
      });
    }
    const isMatch = picomatch(value, { dot: true });
    matched = all.filter((n) => isMatch(n));
  } else if (what === 'kind') {
    // Kinds answer to their registered names (built-in and plug-in kinds alike).
    const kinds = assetKindNames();
    if (!kinds.includes(value)) {
      throw new UsageError({
        what: `Unknown kind in selection "${text}".`,
        why: `Kinds are ${kinds.join(', ')}.`,
        fix: `${didYouMeanText(value, kinds).trim()} Use e.g. kind:${kinds[0] ?? 'NAME'}.`.trim(),
      });
    }
    // A known kind with no asset of it is an empty set, not a typo.
    return new Set(assets.filter((a) => a.kind === value).map((a) => a.name));
  } else if (what === 'group') {
    matched = assets.filter((a) => a.group === value).map((a) => a.name);
  } else {
    const [k, v] = value.split('=', 2) as [string, string | undefined];
    matched = assets.filter((a) => Object.hasOwn(a.def.tags, k) && (v === undefined || a.def.tags[k] === v)).map((a) => a.name);
  }
  if (matched.length === 0) {
    throw new UsageError({
      what: `Selection "${text}" matches no asset.`,
      why: what === 'tag' ? `No asset has the tag ${value}.` : what === 'group' ? `No asset is in group ${value}.` : `No asset name matches the pattern ${value}.`,
      fix: 'Run `synth status` to see assets, their groups and tags.',
    });
  }
  return new Set(matched);
}
