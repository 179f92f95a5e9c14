import { describe, expect, it } from 'vitest';
import { PromptFileError } from '../../src/engine/errors.js';
import { compileRule, describeRules, violatedRules } from '../../src/rules/index.js';

const CONTRACT = 'if category == "Electronics", price > 50';

function check(rule: string, row: Record<string, unknown>): boolean {
  return compileRule(rule).test(row);
}

function errorOf(fn: () => unknown): PromptFileError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(PromptFileError);
    return err as PromptFileError;
  }
  throw new Error('expected a PromptFileError');
}

describe('the contract rule', () => {
  const rule = compileRule(CONTRACT);

  it.each([
    [{ category: 'Electronics', price: 60 }, true],
    [{ category: 'Electronics', price: 50.01 }, true],
    [{ category: 'Electronics', price: 50 }, false],
    [{ category: 'Electronics', price: 10 }, false],
    [{ category: 'Electronics' }, false], // missing price: the comparison is false
    [{ category: 'Electronics', price: '99' }, false], // string vs number: not coerced
    [{ category: 'Electronics', price: null }, false],
    [{ category: 'Books', price: 10 }, true], // condition false: passes
    [{ category: 'electronics', price: 10 }, true], // comparisons are case-sensitive
    [{ price: 10 }, true], // missing category: condition false
    [{}, true],
  ])('%j -> %s', (row, expected) => {
    expect(rule.test(row)).toBe(expected);
  });

  it('reports fields, the if part and constraints', () => {
    expect(rule.text).toBe(CONTRACT);
    expect(rule.fields).toEqual(['category', 'price']);
    expect(rule.conditionFields).toEqual(['category']);
    expect(rule.assertionFields).toEqual(['price']);
    expect(rule.constraints).toEqual([{ field: 'price', op: '>', value: 50 }]);
    expect(rule.conditionConstraints).toEqual([{ field: 'category', op: '==', value: 'Electronics' }]);
    expect(rule.applies({ category: 'Electronics' })).toBe(true);
    expect(rule.applies({ category: 'Toys' })).toBe(false);
  });
});

describe('operators', () => {
  const row = {
    category: 'Books',
    price: 25.5,
    stock: 0,
    discount: -5,
    in_stock: true,
    tags: ['sale', 'new'],
    name: 'The Book',
    empty: '',
    nothing: null,
    dims: { width: 10, depth: { cm: 3 } },
    'flat.key': 7,
  };

  it.each([
    ['price == 25.5', true],
    ['price != 25.5', false],
    ['price < 30', true],
    ['price <= 25.5', true],
    ['price > 25.5', false],
    ['price >= 25.5', true],
    ['price > $20', true],
    ['price < $25.50', false],
    ['price < $30.5', true],
    ['discount == -5', true],
    ['discount < -4.5', true],
    ['discount > -5', false],
    ['category == "Books"', true],
    ["category == 'Books'", true],
    ['category != "Toys"', true],
    ['category < "C"', true], // strings compare lexicographically
    ['category in ["Books", "Toys"]', true],
    ["category in ['Toys', 'Games']", false],
    ['category not in ["Toys", "Games"]', true],
    ['category not   in ["Books"]', false],
    ['"sale" in tags', true],
    ['"old" in tags', false],
    ['"old" not in tags', true],
    ['"Book" in name', true], // substring of a string
    ['price in [25.5, 30]', true],
    ['price in ["25.5"]', false], // no coercion
    ['in_stock', true],
    ['in_stock == true', true],
    ['not in_stock', false],
    ['stock', false], // 0 is falsy as a condition
    ['empty', false],
    ['nothing == null', true],
    ['nothing != null', false],
    ['category != null', true],
    ['price > 20 and category == "Books"', true],
    ['price > 30 and category == "Books"', false],
    ['price > 30 or category == "Books"', true],
    ['price > 30 or category == "Toys"', false],
    ['price > 30 && category == "Books"', false],
    ['price > 30 || category == "Books"', true],
    ['!in_stock', false],
    ['price === 25.5', true],
    ['price !== 25.5', false],
    ['not price > 30', true], // not binds looser than comparisons
    ['not category == "Books"', false],
    ['not category == "Books" or price < 30', true],
    ['not (price > 20 and category == "Books")', false],
    ['(not in_stock) == false', true],
    ['((price > 20) and (category == "Toys" or (stock == 0 and in_stock)))', true],
    ['(price > 20 and (category == "Toys" or (stock == 1 and in_stock)))', false],
    ['dims.width == 10', true],
    ['dims.depth.cm < 5', true],
    ['dims["width"] > 5', true],
    ['tags[0] == "sale"', true],
    ['flat.key == 7', true], // a flattened "flat.key" column
    ['dims.height > 0', false],
    ['len(name) == 8', true],
    ['len(tags) >= 2', true],
    ['len(price) > 0', false], // len of a number is undefined
    ['price > discount', true], // field vs field
    ['category == name', false],
    ['50 > price', true], // literal on the left
    ['"Books" == category', true],
    ['true', true],
    ['1 == 1 and price > 0', true],
  ])('%s -> %s', (text, expected) => {
    expect(check(text, row)).toBe(expected);
  });

  it('makes every comparison with a missing field false, whatever the operator', () => {
    for (const op of ['==', '!=', '<', '<=', '>', '>=']) {
      expect(check(`missing ${op} 1`, {})).toBe(false);
      expect(check(`missing ${op} "a"`, {})).toBe(false);
      expect(check(`1 ${op} missing`, {})).toBe(false);
    }
    expect(check('missing in [1, 2]', {})).toBe(false);
    expect(check('missing not in [1, 2]', {})).toBe(false);
    expect(check('1 in missing', {})).toBe(false);
    expect(check('missing == null', {})).toBe(false); // missing is not null
    expect(check('not missing > 1', {})).toBe(true);
  });

  it('never coerces numbers and strings', () => {
    for (const op of ['==', '!=', '<', '<=', '>', '>=']) {
      expect(check(`price ${op} "10"`, { price: 10 })).toBe(false);
      expect(check(`code ${op} 10`, { code: '10' })).toBe(false);
      expect(check(`a ${op} b`, { a: 10, b: '10' })).toBe(false);
    }
    expect(check('flag == 1', { flag: true })).toBe(false);
    expect(check('flag != 1', { flag: true })).toBe(false);
  });

  it('compares lists and objects by value', () => {
    expect(check('tags == ["a", "b"]', { tags: ['a', 'b'] })).toBe(true);
    expect(check('tags != ["a", "b"]', { tags: ['a', 'c'] })).toBe(true);
    expect(check('pair in [[1, 2], [3, 4]]', { pair: [3, 4] })).toBe(true);
    expect(check('x in [a, b]', { x: 2, a: 1, b: 2 })).toBe(true); // a list of fields
  });

  it('ignores inherited properties of the row', () => {
    expect(check('constructor == null', {})).toBe(false);
    expect(check('len(toString) > 0', {})).toBe(false);
    expect(check('constructor == "x"', { constructor: 'x' })).toBe(true);
  });

  it('parses not(...) without a space and $ amounts in both parts of an if', () => {
    expect(check('not(price > 30)', { price: 10 })).toBe(true);
    const rule = compileRule('if price >= $1000, category in ["Electronics", "Home"]');
    expect(rule.test({ price: 1500, category: 'Books' })).toBe(false);
    expect(rule.test({ price: 999.99, category: 'Books' })).toBe(true);
    expect(rule.conditionConstraints).toEqual([{ field: 'price', op: '>=', value: 1000 }]);
    expect(compileRule('"sale" in tags').constraints).toBeUndefined(); // the field is not on the left
  });

  it('leaves jsep unchanged for other users outside a rule compile', async () => {
    const { default: jsep } = await import('jsep');
    compileRule('price > $5');
    expect(jsep('$5')).toEqual({ type: 'Identifier', name: '$5' });
    expect(jsep('(a)')).toEqual({ type: 'Identifier', name: 'a' });
  });

  it('lists the fields it reads', () => {
    const rule = compileRule('if dims.width > 3 and len(name) > 2, price in [1, 2] or tags == x');
    expect(rule.conditionFields).toEqual(['dims.width', 'name']);
    expect(rule.assertionFields).toEqual(['price', 'tags', 'x']);
    expect(rule.fields).toEqual(['dims.width', 'name', 'price', 'tags', 'x']);
    expect(rule.constraints).toBeUndefined(); // a disjunction is not a list of constraints
  });

  it('extracts constraints from conjunctions, flipping literal-first comparisons', () => {
    const rule = compileRule('price >= $10 and 500 > price and category in ["A", "B"] and (sku != "x")');
    expect(rule.constraints).toEqual([
      { field: 'price', op: '>=', value: 10 },
      { field: 'price', op: '<', value: 500 },
      { field: 'category', op: 'in', value: ['A', 'B'] },
      { field: 'sku', op: '!=', value: 'x' },
    ]);
    expect(rule.conditionConstraints).toEqual([]);
    expect(compileRule('price > cost').constraints).toBeUndefined();
    expect(compileRule('if a == 1 or b == 2, c > 0').conditionConstraints).toBeUndefined();
  });

  it('handles the if form with whitespace, newlines and parentheses', () => {
    const rule = compileRule('  if(category == "Electronics") ,\n  (price > 50)  ');
    expect(rule.test({ category: 'Electronics', price: 10 })).toBe(false);
    expect(rule.test({ category: 'Electronics', price: 60 })).toBe(true);
    expect(rule.conditionFields).toEqual(['category']);
    // "if" inside a string or a field name is not the keyword.
    expect(compileRule('iffy == "if a, b"').test({ iffy: 'if a, b' })).toBe(true);
    expect(compileRule('label == "x, y"').test({ label: 'x, y' })).toBe(true);
  });
});

describe('malformed rules', () => {
  it.each([
    ['price = 50', 'unexpected "="', 7],
    ['price > 50)', 'unbalanced parentheses', 11],
    ['(price > 50', 'never closed', 1],
    ['a == (b == (1)', 'never closed', 6],
    ['price > ', 'expected a value after ">"', 9],
    ['price > 50 category == "A"', 'unexpected "category"', 12],
    ['if category == "A" price > 50', 'expected "," between the condition and the assertion', 20],
    ['if category == "A"', 'expected "," then an assertion', 19],
    ['if category == "A",', 'expected an assertion', 20],
    ['if , price > 1', 'expected a condition', 4],
    ['if a == 1, b == 2, c == 3', 'one condition and one assertion', 18],
    ['a == 1, b == 2', 'start the rule with "if"', 7],
    ['price + 1 > 50', 'unknown operator "+"', 7],
    ['price * 2 > 50', 'arithmetic is not supported', 7],
    ['a & b', 'unknown operator "&"', 3],
    ['~a', 'unknown operator "~"', 1],
    ['inventory in 5', 'the right side of "in"', 11],
    ['sqrt(price) > 1', 'unknown function "sqrt"', 1],
    ['len(a, b) > 1', 'len() takes one argument', 1],
    ['name == "abc', 'never closed', 13],
    ['category in ["a", "b"', 'never closed', 13],
    ['()', 'empty parentheses', 1],
    ['   ', 'the rule is empty', 1],
    ['this == 1', '"this" is not a field', 1],
  ])('%s -> %s', (text, message, column) => {
    const err = errorOf(() => compileRule(text, { file: '/p/x.yaml', line: 9, index: 2 }));
    expect(err.what).toContain('Rule 3 is malformed');
    expect(err.what).toContain(message);
    expect(err.what).toContain(`(column ${column} of the rule)`);
    expect(err.file).toBe('/p/x.yaml');
    expect(err.line).toBe(9);
    expect(err.column).toBeUndefined(); // no file column given
    expect(err.why).toContain(text.replace(/\s+$/, ''));
    expect(err.fix).toContain('if <condition>, <assertion>');
    expect(err.exitCode).toBe(2);
  });

  it('points at the file column when the rule text starts at a known column', () => {
    const err = errorOf(() => compileRule('price = 50', { file: '/p/x.yaml', line: 4, column: 5 }));
    expect(err.column).toBe(5 + 6);
    expect(err.why).toContain('    price = 50\n          ^');
  });
});

describe('violatedRules and describeRules', () => {
  const rules = [CONTRACT, 'price > 0', 'category in ["Electronics", "Books"]'].map((text, index) => compileRule(text, { index }));

  it('returns the rules a row breaks', () => {
    expect(violatedRules(rules, { category: 'Electronics', price: 60 })).toEqual([]);
    expect(violatedRules(rules, { category: 'Electronics', price: 20 }).map((r) => r.index)).toEqual([0]);
    expect(violatedRules(rules, { category: 'Toys', price: -1 }).map((r) => r.index)).toEqual([1, 2]);
    expect(violatedRules(rules, {}).map((r) => r.index)).toEqual([1, 2]);
  });

  it('numbers the rules as written, one per line', () => {
    expect(describeRules(rules)).toBe('1. if category == "Electronics", price > 50\n2. price > 0\n3. category in ["Electronics", "Books"]');
    expect(describeRules([compileRule('if a == 1,\n   b == 2\n')])).toBe('1. if a == 1, b == 2');
    expect(describeRules([])).toBe('');
  });
});
