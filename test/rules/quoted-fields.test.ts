import { describe, expect, it } from 'vitest';
import { PromptFileError } from '../../src/engine/errors.js';
import { compileRule } from '../../src/rules/index.js';

describe('backtick-quoted field names', () => {
  it('name fields with spaces and parentheses, in conditions, assertions and constraints', () => {
    const rule = compileRule('if Species == "Gentoo", `Body Mass (g)` == null or `Body Mass (g)` > 3500');
    expect(rule.fields).toEqual(['Species', 'Body Mass (g)']);
    expect(rule.assertionFields).toEqual(['Body Mass (g)']);
    expect(rule.test({ Species: 'Gentoo', 'Body Mass (g)': 3000 })).toBe(false);
    expect(rule.test({ Species: 'Gentoo', 'Body Mass (g)': 4000 })).toBe(true);
    expect(rule.test({ Species: 'Gentoo', 'Body Mass (g)': null })).toBe(true);
    expect(rule.test({ Species: 'Adelie', 'Body Mass (g)': 3000 })).toBe(true);
    expect(compileRule('`Beak Length (mm)` > 30').constraints).toEqual([{ field: 'Beak Length (mm)', op: '>', value: 30 }]);
  });

  it('an unclosed or empty backtick is a rule error with its column', () => {
    expect(() => compileRule('`Body Mass > 3', { file: 'p.yaml', line: 4 })).toThrow(PromptFileError);
    try {
      compileRule('price > 3 and `', { file: 'p.yaml', line: 4 });
    } catch (err) {
      expect((err as PromptFileError).line).toBe(4);
      expect((err as PromptFileError).what).toContain('never closed');
    }
    expect(() => compileRule('`` > 3')).toThrow(/empty field name/);
  });
});
