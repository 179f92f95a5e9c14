import type jsep from 'jsep';
import { maskStrings, RuleSyntaxError, type GroupNode } from './rule-parser.js';
import { equality, membership, order, truthy } from './rule-values.js';

/**
 * Compiles a jsep AST into a tree of closures, once per rule, so that checking a row is a few
 * direct function calls with no AST walking and no string work. Never uses eval.
 */

type Row = Record<string, unknown>;
type TestFn = (row: Row) => boolean;
type ValueFn = (row: Row) => unknown;

/** The comparison operators a constraint can carry. */
export const CONSTRAINT_OPS = ['==', '!=', '<', '<=', '>', '>=', 'in', 'not in'] as const;
export type ConstraintOp = (typeof CONSTRAINT_OPS)[number];

/** One `field OP literal` comparison. */
export interface Constraint {
  field: string;
  op: ConstraintOp;
  value: unknown;
}

/** A compiled operand: a constant (folded at compile time), a field read, or a computed value. */
interface Operand {
  get: ValueFn;
  isConst: boolean;
  value?: unknown;
  /** Dotted path when the operand is a plain field read. */
  field?: string;
}

/** Operators written with another spelling that mean the same thing here (our `==` never coerces). */
const ALIASES: Record<string, string> = { '===': '==', '!==': '!=', '&&': 'and', '||': 'or', '!': 'not' };
const COMPARISONS = new Set<string>(CONSTRAINT_OPS);
const FLIPPED: Record<string, ConstraintOp> = { '==': '==', '!=': '!=', '<': '>', '<=': '>=', '>': '<', '>=': '<=' };
const FUNCTIONS = ['len'] as const;
/** Words that cannot be field names (jsep reads a lone `not` or `and` as an identifier). */
const KEYWORDS = new Set(['not', 'and', 'or', 'in', 'if']);

/** A compiled expression plus the fields it reads. */
export interface CompiledExpression {
  test: TestFn;
  fields: string[];
  constraints?: Constraint[];
}

/** @internal Not in the package's .d.ts: its jsep types would reach every consumer's type check. */
export function compileExpression(node: jsep.Expression, text: string): CompiledExpression {
  const compiler = new Compiler(text);
  const tree = hoistNot(node);
  const test = compiler.test(tree);
  return { test, fields: [...compiler.fields], constraints: compiler.constraints(tree) };
}

/**
 * jsep binds unary operators to the next token only, so `not a == b` parses as `(not a) == b`.
 * People mean `not (a == b)` (Python/SQL precedence): move a bare `not` above comparisons.
 */
function hoistNot(node: jsep.Expression): jsep.Expression {
  switch (node.type) {
    case 'BinaryExpression': {
      const b = node as jsep.BinaryExpression;
      const left = hoistNot(b.left);
      const right = hoistNot(b.right);
      const op = ALIASES[b.operator] ?? b.operator;
      if (op !== 'and' && op !== 'or' && isBareNot(left)) {
        const inner: jsep.BinaryExpression = { type: 'BinaryExpression', operator: b.operator, left: left.argument, right };
        return { type: 'UnaryExpression', operator: 'not', prefix: true, argument: hoistNot(inner) } satisfies jsep.UnaryExpression;
      }
      return { ...b, left, right };
    }
    case 'UnaryExpression': {
      const u = node as jsep.UnaryExpression;
      return { ...u, argument: hoistNot(u.argument) };
    }
    case 'Group': {
      const g = node as GroupNode;
      return { ...g, expression: hoistNot(g.expression) };
    }
    case 'CallExpression': {
      const c = node as jsep.CallExpression;
      return { ...c, arguments: c.arguments.map(hoistNot) };
    }
    case 'ArrayExpression': {
      const a = node as jsep.ArrayExpression;
      return { ...a, elements: a.elements.map((e) => (e ? hoistNot(e) : e)) };
    }
    default:
      return node;
  }
}

function isBareNot(node: jsep.Expression): node is jsep.UnaryExpression {
  return node.type === 'UnaryExpression' && (node as jsep.UnaryExpression).operator === 'not';
}

function unwrap(node: jsep.Expression): jsep.Expression {
  while (node.type === 'Group') node = (node as GroupNode).expression;
  return node;
}

function isPrimitive(v: unknown): v is string | number | boolean | null {
  return v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}

/** A field getter that ignores inherited properties (`constructor`, `__proto__`...). */
function segmentGetter(key: string): (obj: Record<string, unknown>) => unknown {
  if (key in Object.prototype) return (obj) => (Object.hasOwn(obj, key) ? obj[key] : undefined);
  return (obj) => obj[key];
}

function fieldGetter(path: string[]): ValueFn {
  if (path.length === 1) return segmentGetter(path[0]);
  const steps = path.map(segmentGetter);
  const flat = segmentGetter(path.join('.'));
  return (row) => {
    let v: unknown = row;
    for (const step of steps) {
      if (v === null || typeof v !== 'object') {
        v = undefined;
        break;
      }
      v = step(v as Record<string, unknown>);
    }
    // A flattened row may hold "a.b" as one key: accept it when there is no nested value.
    return v === undefined ? flat(row) : v;
  };
}

/** `v OP c` for a constant `c`, specialised on the constant's type to avoid generic dispatch per row. */
function againstConstant(op: ConstraintOp, c: unknown): (v: unknown) => boolean {
  switch (op) {
    case '==':
      if (isPrimitive(c)) return (v) => v === c;
      return (v) => equality(v, c) === true;
    case '!=':
      if (c === null) return (v) => v !== null && v !== undefined;
      if (isPrimitive(c)) {
        const type = typeof c;
        return (v) => typeof v === type && v !== c;
      }
      return (v) => equality(v, c) === false;
    case '<':
    case '<=':
    case '>':
    case '>=':
      if (typeof c === 'number') {
        if (op === '<') return (v) => typeof v === 'number' && v < c;
        if (op === '<=') return (v) => typeof v === 'number' && v <= c;
        if (op === '>') return (v) => typeof v === 'number' && v > c;
        return (v) => typeof v === 'number' && v >= c;
      }
      if (typeof c === 'string') {
        if (op === '<') return (v) => typeof v === 'string' && v < c;
        if (op === '<=') return (v) => typeof v === 'string' && v <= c;
        if (op === '>') return (v) => typeof v === 'string' && v > c;
        return (v) => typeof v === 'string' && v >= c;
      }
      return generic(op, c);
    case 'in':
    case 'not in': {
      if (Array.isArray(c) && c.every(isPrimitive)) {
        const set = new Set<unknown>(c);
        // For an array haystack `in` never returns "incomparable" for a present needle.
        return op === 'in' ? (v) => set.has(v) : (v) => v !== undefined && !set.has(v);
      }
      return generic(op, c);
    }
  }
}

function generic(op: ConstraintOp, c: unknown): (v: unknown) => boolean {
  return (v) => applyOp(op, v, c);
}

function applyOp(op: ConstraintOp, a: unknown, b: unknown): boolean {
  switch (op) {
    case '==':
      return equality(a, b) === true;
    case '!=':
      return equality(a, b) === false;
    case 'in':
      return membership(a, b) === true;
    case 'not in':
      return membership(a, b) === false;
    default: {
      const o = order(a, b);
      if (o === undefined) return false;
      return op === '<' ? o < 0 : op === '<=' ? o <= 0 : op === '>' ? o > 0 : o >= 0;
    }
  }
}

class Compiler {
  readonly fields = new Set<string>();
  private readonly masked: string;

  constructor(private readonly text: string) {
    this.masked = maskStrings(text);
  }

  /** Error at the first place `token` appears outside string literals (jsep nodes carry no positions). */
  private fail(description: string, token?: string): never {
    let at = -1;
    if (token !== undefined) {
      // Word operators must match whole words: "in" must not point into "inventory".
      const escaped = token.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      const pattern = new RegExp(/^\w/.test(token) ? `\\b${escaped}\\b` : escaped);
      at = pattern.exec(this.masked)?.index ?? -1;
    }
    throw new RuleSyntaxError(description, Math.max(at, 0));
  }

  test(node: jsep.Expression): TestFn {
    switch (node.type) {
      case 'Group':
        return this.test((node as GroupNode).expression);
      case 'UnaryExpression': {
        const u = node as jsep.UnaryExpression;
        if ((ALIASES[u.operator] ?? u.operator) === 'not') {
          const inner = this.test(u.argument);
          return (row) => !inner(row);
        }
        break;
      }
      case 'BinaryExpression': {
        const b = node as jsep.BinaryExpression;
        const op = ALIASES[b.operator] ?? b.operator;
        if (op === 'and' || op === 'or') {
          const l = this.test(b.left);
          const r = this.test(b.right);
          return op === 'and' ? (row) => l(row) && r(row) : (row) => l(row) || r(row);
        }
        if (COMPARISONS.has(op)) return this.comparison(op as ConstraintOp, b);
        break;
      }
    }
    const operand = this.operand(node);
    if (operand.isConst) {
      const constant = truthy(operand.value);
      return () => constant;
    }
    const get = operand.get;
    return (row) => truthy(get(row));
  }

  private comparison(op: ConstraintOp, b: jsep.BinaryExpression): TestFn {
    const left = this.operand(b.left);
    const right = this.operand(b.right);
    if ((op === 'in' || op === 'not in') && right.isConst && !Array.isArray(right.value) && typeof right.value !== 'string') {
      this.fail(`the right side of "${op}" must be a list like ["a", "b"] or a string, not ${JSON.stringify(right.value)}`, op);
    }
    if (left.isConst && right.isConst) {
      const constant = applyOp(op, left.value, right.value);
      return () => constant;
    }
    if (right.isConst) {
      const pred = againstConstant(op, right.value);
      const get = left.get;
      return (row) => pred(get(row));
    }
    if (left.isConst && op in FLIPPED) {
      const pred = againstConstant(FLIPPED[op], left.value);
      const get = right.get;
      return (row) => pred(get(row));
    }
    const l = left.get;
    const r = right.get;
    return (row) => applyOp(op, l(row), r(row));
  }

  private operand(node: jsep.Expression): Operand {
    switch (node.type) {
      case 'Literal': {
        const value = (node as jsep.Literal).value;
        if (value instanceof RegExp) this.fail('regular expressions are not supported', '/');
        return { isConst: true, value, get: () => value };
      }
      case 'Group':
        return this.operand((node as GroupNode).expression);
      case 'ConditionalExpression':
        return this.fail('"? :" is not supported; write "if <condition>, <assertion>"', '?');
      case 'Identifier':
        if (KEYWORDS.has((node as jsep.Identifier).name)) {
          const name = (node as jsep.Identifier).name;
          return this.fail(`"${name}" is a keyword and needs a value ${name === 'not' ? 'after' : 'on each side of'} it`, name);
        }
      // falls through
      case 'MemberExpression': {
        const path = this.path(node);
        const field = path.join('.');
        this.fields.add(field);
        return { isConst: false, field, get: fieldGetter(path) };
      }
      case 'ArrayExpression': {
        const elements = (node as jsep.ArrayExpression).elements.map((e) => {
          if (!e) this.fail('empty item in a list (two commas in a row?)', ',');
          return this.operand(e);
        });
        if (elements.every((e) => e.isConst)) {
          const value = elements.map((e) => e.value);
          return { isConst: true, value, get: () => value };
        }
        const gets = elements.map((e) => e.get);
        return { isConst: false, get: (row) => gets.map((g) => g(row)) };
      }
      case 'UnaryExpression': {
        const u = node as jsep.UnaryExpression;
        const op = ALIASES[u.operator] ?? u.operator;
        if (op === '-') {
          const arg = this.operand(u.argument);
          if (arg.isConst) {
            if (typeof arg.value !== 'number') this.fail(`"-" needs a number, not ${JSON.stringify(arg.value)}`, '-');
            const value = -arg.value;
            return { isConst: true, value, get: () => value };
          }
          const get = arg.get;
          return {
            isConst: false,
            get: (row) => {
              const v = get(row);
              return typeof v === 'number' ? -v : undefined;
            },
          };
        }
        if (op === 'not') {
          const test = this.test(node);
          return { isConst: false, get: test };
        }
        return this.fail(`unknown operator "${u.operator}" (use and, or, not, ==, !=, <, <=, >, >=, in, not in)`, u.operator);
      }
      case 'BinaryExpression': {
        const b = node as jsep.BinaryExpression;
        const op = ALIASES[b.operator] ?? b.operator;
        if (op === 'and' || op === 'or' || COMPARISONS.has(op)) {
          const test = this.test(node);
          return { isConst: false, get: test };
        }
        const hint = op === '=' ? ' (use "==" to compare)' : ' (arithmetic is not supported; compare fields with literals or other fields)';
        return this.fail(`unknown operator "${b.operator}"${['+', '-', '*', '/', '%', '**'].includes(op) ? hint : ' (use and, or, not, ==, !=, <, <=, >, >=, in, not in)'}`, b.operator);
      }
      case 'CallExpression': {
        const c = node as jsep.CallExpression;
        const name = c.callee.type === 'Identifier' ? (c.callee as jsep.Identifier).name : undefined;
        if (name !== 'len') {
          return this.fail(`unknown function${name ? ` "${name}"` : ''} (the only function is ${FUNCTIONS.map((f) => `${f}(x)`).join(', ')})`, name ? `${name}(` : '(');
        }
        if (c.arguments.length !== 1) this.fail(`len() takes one argument, got ${c.arguments.length}`, 'len(');
        const arg = this.operand(c.arguments[0]);
        const get = arg.get;
        const len: ValueFn = (row) => {
          const v = get(row);
          return typeof v === 'string' || Array.isArray(v) ? v.length : undefined;
        };
        if (arg.isConst) {
          const value = len({});
          return { isConst: true, value, get: () => value };
        }
        return { isConst: false, get: len };
      }
      case 'Compound':
      case 'SequenceExpression':
        return this.fail('unexpected "," inside parentheses or a call', ',');
      case 'ThisExpression':
        return this.fail('"this" is not a field; name the field directly', 'this');
    }
    return this.fail(`unsupported expression (${node.type})`);
  }

  /** Dotted path of an identifier or a member chain (`a.b`, `a["b c"]`, `a[0]`). */
  private path(node: jsep.Expression): string[] {
    if (node.type === 'Identifier') return [(node as jsep.Identifier).name];
    const m = node as jsep.MemberExpression;
    if (m.type !== 'MemberExpression') return this.fail('expected a field name', undefined);
    const base = this.path(unwrap(m.object));
    if (!m.computed && m.property.type === 'Identifier') return [...base, (m.property as jsep.Identifier).name];
    const prop = unwrap(m.property);
    if (prop.type === 'Literal' && (typeof (prop as jsep.Literal).value === 'string' || typeof (prop as jsep.Literal).value === 'number')) {
      return [...base, String((prop as jsep.Literal).value)];
    }
    return this.fail('a field path in brackets must be a literal, like a["b"] or a[0]', '[');
  }

  /** The expression as `field OP literal` conjuncts, or undefined when it is anything else. */
  constraints(node: jsep.Expression): Constraint[] | undefined {
    const out: Constraint[] = [];
    const visit = (n: jsep.Expression): boolean => {
      n = unwrap(n);
      if (n.type !== 'BinaryExpression') return false;
      const b = n as jsep.BinaryExpression;
      const op = ALIASES[b.operator] ?? b.operator;
      if (op === 'and') return visit(b.left) && visit(b.right);
      if (!COMPARISONS.has(op)) return false;
      const quiet = new Compiler(this.text);
      const left = quiet.operand(b.left);
      const right = quiet.operand(b.right);
      if (left.field !== undefined && right.isConst) {
        out.push({ field: left.field, op: op as ConstraintOp, value: right.value });
        return true;
      }
      if (right.field !== undefined && left.isConst && op in FLIPPED) {
        out.push({ field: right.field, op: FLIPPED[op], value: left.value });
        return true;
      }
      return false;
    };
    return visit(node) ? out : undefined;
  }
}
