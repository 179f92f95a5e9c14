import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DSL_REFERENCE_FILE, renderDslReference } from '../../scripts/dsl-reference.js';

describe('docs/dsl-reference.md', () => {
  const generated = renderDslReference();

  it('is what scripts/dsl-reference.ts generates from the option types today (run `npm run docs:dsl` after changing an option)', () => {
    expect(readFileSync(DSL_REFERENCE_FILE, 'utf8')).toBe(generated);
  });

  it('lists every option of the types, documented (a property without TSDoc is a gap to fill)', () => {
    const rows = generated.split('\n').filter((l) => l.startsWith('| `'));
    expect(rows.length).toBeGreaterThan(80);
    const undocumented = rows.filter((r) => r.trimEnd().endsWith('|  |')).map((r) => r.split('|')[1]!.trim());
    expect(undocumented).toEqual(['`provider`']);
    for (const option of ['`reference`', '`class`', '`maxCost`', '`catchUp`', '`positiveLabel`', '`null_rate`', '`fit`']) expect(generated).toContain(`| ${option} |`);
  });
});
