import jsep from 'jsep';

/**
 * Parsing of rule text into a jsep AST, with word operators `and`, `or`, `in`, `not in`, `not`
 * (added to jsep's global operator tables only for the length of one parse, see `withRuleOperators`),
 * a `$` currency prefix on numbers,
 * backtick-quoted field names (`` `Body Mass (g)` ``),
 * and a `Group` node for parenthesised expressions so that `not` can be given the loose
 * precedence people expect (`not a == b` means `not (a == b)`, as in Python and SQL).
 */

/** A parse failure with its 0-based character index in the rule text. */
export class RuleSyntaxError extends Error {
  constructor(
    readonly description: string,
    readonly index: number,
  ) {
    super(`${description} at character ${index}`);
  }
}

/** A parenthesised sub-expression (our node type, jsep drops parentheses). */
export interface GroupNode extends jsep.Expression {
  type: 'Group';
  expression: jsep.Expression;
}

/** The two halves of a rule; `condition` is absent for a bare assertion. */
export interface ParsedRule {
  condition?: jsep.Expression;
  assertion: jsep.Expression;
}

/** The parts of jsep's (untyped) parser class that we drive directly. */
interface JsepParser {
  index: number;
  readonly expr: string;
  readonly code: number;
  gobbleSpaces(): void;
  gobbleExpression(): jsep.Expression | false;
  gobbleGroup(): jsep.Expression;
  gobbleNumericLiteral(): jsep.Expression;
  gobbleArray(): jsep.Expression;
}
/** jsep's parser class with its global operator tables (plain static fields). */
interface JsepParserClass {
  new (expr: string): JsepParser;
  binary_ops: Record<string, number>;
  unary_ops: Record<string, number>;
  right_associative: Set<string>;
  max_binop_len: number;
  max_unop_len: number;
}
const Parser = (jsep as unknown as { Jsep: JsepParserClass }).Jsep;

/** Binary precedences, on jsep's scale (`||` 1, `&&` 2, `==` 6, `<` 7). */
const WORD_BINARY_OPS = { or: 1, and: 2, in: 7, 'not in': 7 } as const;

const DOLLAR = 36;
const DIGIT_0 = 48;
const DIGIT_9 = 57;
const PERIOD = 46;
const OPEN_PAREN = 40;
const COMMA = 44;
const OPEN_BRACKET = 91;
const BACKTICK = 96;

/** Set while one of our parses runs, so that our hooks never alter another jsep user's parse. */
let active = false;

jsep.hooks.add('gobble-token', function ruleToken(this: jsep.HookScope, env) {
  if (!active) return;
  const self = this as unknown as JsepParser;
  const code = self.code;
  if (code === BACKTICK) {
    // `Body Mass (g)`: a field name that is not an identifier (spaces, parentheses...).
    const start = self.index;
    const end = self.expr.indexOf('`', start + 1);
    if (end < 0) throw new RuleSyntaxError('a `quoted field name` is never closed (missing backtick)', start);
    if (end === start + 1) throw new RuleSyntaxError('empty field name ``', start);
    self.index = end + 1;
    env.node = { type: 'Identifier', name: self.expr.slice(start + 1, end) } satisfies jsep.Identifier;
  } else if (code === DOLLAR) {
    const next = self.expr.charCodeAt(self.index + 1);
    if ((next >= DIGIT_0 && next <= DIGIT_9) || next === PERIOD) {
      self.index++;
      env.node = self.gobbleNumericLiteral();
    }
  } else if (code === OPEN_BRACKET) {
    // jsep accepts a missing comma between the first two items (`["a" "b"]`): count them.
    const start = self.index;
    const node = pointAtOpener(() => self.gobbleArray(), 'Expected ]', start) as jsep.ArrayExpression;
    const commas = topLevelCommas(maskStrings(self.expr.slice(start + 1, self.index - 1)));
    if (node.elements.length > 1 && commas < node.elements.length - 1) {
      throw new RuleSyntaxError('expected "," between list items, write lists like ["a", "b"]', start);
    }
    env.node = node;
  } else if (code === OPEN_PAREN) {
    const start = self.index;
    const expression = pointAtOpener(() => self.gobbleGroup(), 'Unclosed (', start) as jsep.Expression | false;
    if (!expression) throw new RuleSyntaxError('empty parentheses "()"', start);
    env.node = { type: 'Group', expression } satisfies GroupNode;
  }
});

/** Reports an unclosed `(` or `[` at the opener rather than at the end of the text. */
function pointAtOpener<T>(gobble: () => T, unclosed: string, start: number): T {
  try {
    return gobble();
  } catch (err) {
    const description = (err as { description?: string }).description;
    if (!(err instanceof RuleSyntaxError) && description === unclosed) throw new RuleSyntaxError(friendly(description), start);
    throw err;
  }
}

/** Commas outside nested brackets/parentheses (string contents already masked). */
function topLevelCommas(masked: string): number {
  let depth = 0;
  let commas = 0;
  for (const ch of masked) {
    if (ch === '[' || ch === '(') depth++;
    else if (ch === ']' || ch === ')') depth--;
    else if (ch === ',' && depth === 0) commas++;
  }
  return commas;
}

/** `not  in` (any whitespace) -> `not in` padded with spaces, so character indexes are unchanged. */
const NOT_IN_OR_STRING = /("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')|\bnot\s+in\b/g;

function normalize(text: string): string {
  return text.replace(NOT_IN_OR_STRING, (match, quoted: string | undefined) => (quoted !== undefined ? match : 'not in'.padEnd(match.length, ' ')));
}

/** jsep's messages, reworded for people who write rules rather than JavaScript. */
function friendly(description: string): string {
  if (description === 'Unclosed (') return 'unbalanced parentheses: a "(" is never closed';
  if (description === 'Unclosed [') return 'unbalanced brackets: a "[" is never closed';
  if (description.startsWith('Unclosed quote')) return 'a string is never closed (missing quote)';
  if (description.startsWith('Expected expression after')) return `expected a value after "${description.slice('Expected expression after '.length)}"`;
  if (description === 'Expected ]') return 'unbalanced brackets: a "[" is never closed';
  if (description === 'Expected )') return 'unbalanced parentheses: a "(" is never closed';
  if (description === 'Expected comma') return 'expected "," between list items, write lists like ["a", "b"]';
  if (description.startsWith('Variable names cannot start with a number')) return 'a name cannot start with a digit (is a space or an operator missing?)';
  if (description === 'missing unaryOp argument') return 'expected a value after "not"';
  return description.charAt(0).toLowerCase() + description.slice(1);
}

/** Where the `if` keyword form starts: `if` followed by a space or `(`. */
const IF_PREFIX = /^\s*if(?=[\s(])/;

function withParser<T>(text: string, run: (p: JsepParser) => T): T {
  const parser = new Parser(normalize(text));
  return withRuleOperators(() => {
    active = true;
    try {
      return run(parser);
    } catch (err) {
      if (err instanceof RuleSyntaxError) throw err;
      const e = err as { description?: string; index?: number; message?: string };
      throw new RuleSyntaxError(friendly(e.description ?? String(e.message ?? err)), e.index ?? 0);
    } finally {
      active = false;
    }
  });
}

/**
 * jsep's operator tables are global to the process: `jsep.addBinaryOp('and')` once at import would
 * change how every other jsep user parses `a and b`. Our operators are added to copies of the tables
 * for the length of one parse (synchronous, so no other parse can run meanwhile), and the tables
 * another user may have set are put back after.
 */
function withRuleOperators<T>(run: () => T): T {
  const saved = { binary: Parser.binary_ops, unary: Parser.unary_ops, right: Parser.right_associative, maxBinary: Parser.max_binop_len, maxUnary: Parser.max_unop_len };
  Parser.binary_ops = { ...saved.binary };
  Parser.unary_ops = { ...saved.unary };
  Parser.right_associative = new Set(saved.right);
  for (const [op, precedence] of Object.entries(WORD_BINARY_OPS)) jsep.addBinaryOp(op, precedence);
  jsep.addUnaryOp('not');
  try {
    return run();
  } finally {
    Parser.binary_ops = saved.binary;
    Parser.unary_ops = saved.unary;
    Parser.right_associative = saved.right;
    Parser.max_binop_len = saved.maxBinary;
    Parser.max_unop_len = saved.maxUnary;
  }
}

function expression(p: JsepParser, expected: string): jsep.Expression {
  p.gobbleSpaces();
  const start = p.index;
  const node = p.gobbleExpression();
  if (!node) {
    const rest = p.expr.slice(start);
    throw new RuleSyntaxError(rest.trim() === '' ? `expected ${expected}, found the end of the rule` : `expected ${expected}, found "${rest.trim()[0]}"`, start);
  }
  return node;
}

function leftover(p: JsepParser): RuleSyntaxError {
  const rest = p.expr.slice(p.index);
  const ch = rest[0];
  if (ch === ')') return new RuleSyntaxError('unbalanced parentheses: ")" has no matching "("', p.index);
  if (ch === '=' && rest[1] !== '=') return new RuleSyntaxError('unexpected "=" (use "==" to compare)', p.index);
  const word = /^[^\s]+/.exec(rest)?.[0] ?? ch;
  if (/^(AND|OR|NOT|IN|And|Or|Not|In)$/.test(word)) return new RuleSyntaxError(`unexpected "${word}" (operators are lower case: "${word.toLowerCase()}")`, p.index);
  return new RuleSyntaxError(`unexpected "${word}" after a complete expression (unknown operator or missing "and"/"or"?)`, p.index);
}

/**
 * Parses `if <condition>, <assertion>` or a bare `<assertion>`.
 * @throws RuleSyntaxError with the character index of the problem.
 */
export function parseRule(text: string): ParsedRule {
  return withParser(text, (p) => {
    const ifMatch = IF_PREFIX.exec(p.expr);
    let condition: jsep.Expression | undefined;
    if (ifMatch) {
      p.index = ifMatch[0].length;
      condition = expression(p, 'a condition after "if"');
      p.gobbleSpaces();
      if (p.code !== COMMA) {
        if (p.index >= p.expr.length) throw new RuleSyntaxError('expected "," then an assertion after the condition of "if"', p.index);
        const ch = p.expr[p.index];
        if (ch === ')' || ch === '=') throw leftover(p);
        throw new RuleSyntaxError(`expected "," between the condition and the assertion, found "${/^\S+/.exec(p.expr.slice(p.index))?.[0]}"`, p.index);
      }
      p.index++;
    }
    const assertion = expression(p, condition ? 'an assertion after ","' : 'an expression');
    p.gobbleSpaces();
    if (p.index < p.expr.length) {
      if (p.code === COMMA) {
        throw new RuleSyntaxError(
          condition ? 'unexpected "," (a rule has one condition and one assertion; join them with "and")' : 'unexpected "," (start the rule with "if" to give it a condition)',
          p.index,
        );
      }
      throw leftover(p);
    }
    return { condition, assertion };
  });
}

/** The text with the contents of string literals blanked out (same length), to find operators in it. */
export function maskStrings(text: string): string {
  return text.replace(NOT_IN_OR_STRING, (match, quoted: string | undefined) => (quoted !== undefined ? quoted[0] + ' '.repeat(quoted.length - 2) + quoted[0] : match));
}
