import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PromptFileError } from '../../src/engine/errors.js';
import { parsePromptFile } from '../../src/rules/index.js';
import { makeProject, readProjectFile, removeProject, synth, writeProjectFile } from '../support/project.js';

const HEAD = 'prompt_id: p\ndomain: d\ntemplate: Generate {{rows}} rows\n';

function rejection(yaml: string): PromptFileError {
  try {
    parsePromptFile(path.join('prompts', 'p.yaml'), yaml);
  } catch (err) {
    expect(err).toBeInstanceOf(PromptFileError);
    return err as PromptFileError;
  }
  throw new Error('expected the prompt file to be rejected');
}

describe('parser limits: hostile prompt files are bad input, not internal errors', () => {
  it('a 20,000-level a.a.a... rule', () => {
    const err = rejection(`${HEAD}rules:\n  - ${Array.from({ length: 20_000 }, () => 'a').join('.')} > 1\n`);
    expect(err.what).toMatch(/Rule 1 is malformed: the rule is 40\d{3} characters long, more than the 2000 read/);
    expect(err.line).toBe(5);
  });

  it('a rule nesting parentheses too deep', () => {
    const err = rejection(`${HEAD}rules:\n  - ${'('.repeat(40)}price${')'.repeat(40)} > 1\n`);
    expect(err.what).toContain('nests parentheses or brackets more than 32 deep');
  });

  it('a YAML alias bomb, and an alias to an anchor never set', () => {
    const bomb = [
      'a: &a [x, x, x, x, x, x, x, x, x]',
      ...Array.from(
        { length: 8 },
        (_, i) =>
          `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(9)
            .fill(`*${String.fromCharCode(97 + i)}`)
            .join(', ')}]`,
      ),
    ].join('\n');
    expect(rejection(`${HEAD}variables:\n  x: 1\n${bomb}\n`).what).toContain('YAML aliases cannot be resolved');
    const undefinedAlias = rejection(`${HEAD}description: *nowhere\n`);
    expect(undefinedAlias.what).toMatch(/YAML aliases cannot be resolved|not valid YAML/);
  });

  it('a file too big, and one with too many keys', () => {
    expect(rejection(`${HEAD}description: "${'x'.repeat(300 * 1024)}"\n`).what).toMatch(/The prompt file is 30\d KiB, more than the 256 KiB read/);
    const many = Array.from({ length: 10_001 }, (_, i) => `  k${i}: 1`).join('\n');
    expect(rejection(`${HEAD}variables:\n${many}\n`).what).toBe('The prompt file has more than 10000 keys.');
  });

  it('a duplicate key is still refused, with its line', () => {
    const err = rejection(`${HEAD}domain: again\n`);
    expect(err.what).toContain('the key "domain" appears twice');
    expect(err.line).toBe(4);
  });
});

describe('column hints checked before anything runs', () => {
  let dir: string;
  beforeAll(() => {
    dir = makeProject({}, { examples: true });
  });
  afterAll(() => removeProject(dir));

  it.each([
    ['distribution: "evil"', '    distribution: evil\n', /price\.distribution is "evil", which is not a distribution/],
    ['min > max', '    min: 10\n    max: 5\n', /Column hint price: min \(10\) is greater than max \(5\)/],
  ])('synth status refuses %s with exit 2', (_name, hint, message) => {
    const original = synth(dir, ['status']);
    expect(original.code).toBe(0);
    const file = 'prompts/ecommerce_v1.yaml';
    const yaml = readProjectFile(dir, file);
    expect(yaml).not.toMatch(/^columns:/m);
    writeProjectFile(dir, file, `${yaml.trimEnd()}\ncolumns:\n  price:\n${hint}`);
    try {
      const r = synth(dir, ['status']);
      expect([r.code, r.stderr]).toEqual([2, expect.stringMatching(message)]);
    } finally {
      writeProjectFile(dir, file, yaml);
    }
  });
});
