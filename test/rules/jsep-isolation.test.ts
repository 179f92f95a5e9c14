import jsep from 'jsep';
import { afterEach, describe, expect, it } from 'vitest';
import { parseRule } from '../../src/rules/rule-parser.js';

const ops = () => (jsep as unknown as { binary_ops: Record<string, number> }).binary_ops;

afterEach(() => {
  jsep.removeBinaryOp('and');
});

describe('the rule parser and other jsep users in the same process', () => {
  it('parsing rules does not add "and", "or", "in" or "not" to jsep for everyone else', () => {
    const before = { ...ops() };
    const rule = parseRule('if a in [1, 2] and not b, c or d');
    expect(rule.condition).toMatchObject({ type: 'BinaryExpression', operator: 'and' });
    expect(rule.assertion).toMatchObject({ type: 'BinaryExpression', operator: 'or' });
    expect(ops()).toEqual(before);
    // Plain jsep reads `a and b` as it always did: three identifiers, no `and` operator.
    expect(jsep('a and b')).toMatchObject({ type: 'Compound' });
    expect(() => jsep('not a')).not.toThrow();
    expect(jsep('not a')).not.toMatchObject({ type: 'UnaryExpression' });
  });

  it("another user's own operator of the same name is kept, and rules still parse with theirs", () => {
    jsep.addBinaryOp('and', 9);
    const rule = parseRule('a == 1 and b == 2');
    // Ours binds looser than `==` (precedence 2), whatever the other user set.
    expect(rule.assertion).toMatchObject({ type: 'BinaryExpression', operator: 'and', left: { operator: '==' }, right: { operator: '==' } });
    expect(ops().and).toBe(9);
    expect(jsep('a == 1 and b')).toMatchObject({ operator: '==', right: { operator: 'and' } });
  });
});
