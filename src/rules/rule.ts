import { PromptFileError, type Row } from '../engine/index.js';
import { compileExpression, type Constraint } from './rule-compiler.js';
import { parseRule, RuleSyntaxError } from './rule-parser.js';

/**
 * A rule of a prompt file, compiled once into closures.
 *
 * Language: `if <condition>, <assertion>` or a bare `<assertion>`, where expressions use
 * `==, !=, <, <=, >, >=, in, not in, and, or, not`, parentheses, numbers (`50`, `-2.5`, `$50`),
 * strings in single or double quotes, `true/false/null`, lists `["a", "b"]`, field names
 * (`price`, dotted `dims.width`) and `len(x)`. A row passes when the condition is false or the
 * assertion is true. A missing field or a type mismatch (number vs string) makes a comparison
 * false; `not in` is false for a missing field too. `not a == b` means `not (a == b)`.
 */
export interface CompiledRule {
  /** The rule as written. */
  text: string;
  /** Position in the rules list (0-based). */
  index: number;
  /** 1-based line of the rule in its file, when loaded from one. */
  line?: number;
  /** Absolute path of the file the rule comes from. */
  file?: string;
  /** Every field the rule reads (dotted paths for nested fields), in order of appearance. */
  fields: string[];
  /** Fields read by the `if` part (empty for a bare assertion). */
  conditionFields: string[];
  /** Fields read by the assertion. */
  assertionFields: string[];
  /** True when the row satisfies the rule (the condition is false or the assertion holds). */
  test(row: Row): boolean;
  /** True when the `if` part holds for this row (always true for a bare assertion). */
  applies(row: Row): boolean;
  /** The assertion as simple constraints when it is a conjunction of `field OP literal`, else undefined. */
  constraints?: Constraint[];
  /** The condition as simple constraints, same shape; `[]` for a bare assertion, undefined when not simple. */
  conditionConstraints?: Constraint[];
}

/** Where a rule is written, for error messages. */
export interface RuleLocation {
  /** Absolute path of the prompt file. */
  file?: string;
  /** 1-based line of the rule item in the file. */
  line?: number;
  /** Position in the rules list (0-based); default 0. */
  index?: number;
  /** 1-based file column where the rule text starts, when the text sits on one line of the file unquoted or quoted; lets errors point at the exact column. */
  column?: number;
}

const ALWAYS: (row: Row) => boolean = () => true;

/** Longest rule read, in characters: real rules are a line; a longer text is a mistake or an attack on the parser. */
export const MAX_RULE_LENGTH = 2_000;
/** Deepest nesting of parentheses and brackets read in a rule (the parser and compiler recurse on it). */
export const MAX_RULE_NESTING = 32;

/** Throws when a rule is too long or nests too deeply to be parsed safely. */
function checkRuleSize(text: string): void {
  if (text.length > MAX_RULE_LENGTH) throw new RuleSyntaxError(`the rule is ${text.length} characters long, more than the ${MAX_RULE_LENGTH} read`, MAX_RULE_LENGTH);
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '(' || ch === '[') depth++;
    else if (ch === ')' || ch === ']') depth--;
    if (depth > MAX_RULE_NESTING) throw new RuleSyntaxError(`the rule nests parentheses or brackets more than ${MAX_RULE_NESTING} deep`, i);
  }
}

export const RULE_SYNTAX_HELP =
  'Write a rule as `if <condition>, <assertion>` or a bare `<assertion>`, e.g. `if category == "Electronics", price > 50`. ' +
  'Operators: ==, !=, <, <=, >, >=, in, not in, and, or, not; strings in quotes; numbers like 50, -2.5 or $50; lists like ["Books", "Toys"]; len(field).';

/**
 * Compiles one rule.
 * @throws PromptFileError with file, line (and column when known) and what is wrong.
 */
export function compileRule(text: string, where: RuleLocation = {}): CompiledRule {
  const index = where.index ?? 0;
  try {
    if (text.trim() === '') throw new RuleSyntaxError('the rule is empty', 0);
    checkRuleSize(text);
    const parsed = parseRule(text);
    const condition = parsed.condition ? compileExpression(parsed.condition, text) : undefined;
    const assertion = compileExpression(parsed.assertion, text);
    const applies = condition ? condition.test : ALWAYS;
    const check = assertion.test;
    const test = condition ? (row: Row) => !applies(row) || check(row) : check;
    const conditionFields = condition?.fields ?? [];
    return {
      text,
      index,
      line: where.line,
      file: where.file,
      fields: [...new Set([...conditionFields, ...assertion.fields])],
      conditionFields,
      assertionFields: assertion.fields,
      test,
      applies,
      constraints: assertion.constraints,
      conditionConstraints: condition ? condition.constraints : [],
    };
  } catch (err) {
    // Whatever the size checks let through, a parse that exhausts the stack is still the rule's fault.
    if (err instanceof RangeError) throw ruleError(text, index, new RuleSyntaxError('the rule is too deeply nested to read', 0), where);
    if (!(err instanceof RuleSyntaxError)) throw err;
    throw ruleError(text, index, err, where);
  }
}

function ruleError(text: string, index: number, err: RuleSyntaxError, where: RuleLocation): PromptFileError {
  const at = Math.min(Math.max(err.index, 0), text.length);
  const oneLine = text.replace(/[\r\n\t]/g, ' ');
  return new PromptFileError({
    what: `Rule ${index + 1} is malformed: ${err.description} (column ${at + 1} of the rule).`,
    why: `The rule cannot be read:\n    ${oneLine}\n    ${' '.repeat(at)}^`,
    fix: RULE_SYNTAX_HELP,
    file: where.file,
    line: where.line,
    column: where.column !== undefined ? where.column + at : undefined,
    cause: err,
  });
}

/** The rules this row breaks (empty when it satisfies them all). */
export function violatedRules(rules: readonly CompiledRule[], row: Row): CompiledRule[] {
  const out: CompiledRule[] = [];
  for (const rule of rules) if (!rule.test(row)) out.push(rule);
  return out;
}

/** A numbered list of the rules as written, one per line, for LLM prompts. */
export function describeRules(rules: readonly CompiledRule[]): string {
  return rules.map((rule, i) => `${i + 1}. ${rule.text.trim().replace(/\s*[\r\n]+\s*/g, ' ')}`).join('\n');
}
