import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PromptFileError } from '../../src/engine/errors.js';
import { sha256 } from '../../src/engine/hashing.js';
import { describeRules, listPromptIds, loadPromptFile, parsePromptFile, promptFilePath, renderPromptTemplate, violatedRules } from '../../src/rules/index.js';

const repoPrompts = fileURLToPath(new URL('../../prompts', import.meta.url));
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'synth-prompts-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Writes prompts/<id>.yaml in the temp folder and returns the loader's error for it. */
function loadError(id: string, yaml: string): PromptFileError {
  writeFileSync(path.join(dir, `${id}.yaml`), yaml);
  try {
    loadPromptFile(dir, id);
  } catch (err) {
    expect(err).toBeInstanceOf(PromptFileError);
    return err as PromptFileError;
  }
  throw new Error(`expected ${id}.yaml to be rejected`);
}

describe('the repository prompt ecommerce_v1', () => {
  it('loads with its rule, template and hash', () => {
    const prompt = loadPromptFile(repoPrompts, 'ecommerce_v1');
    const content = readFileSync(path.join(repoPrompts, 'ecommerce_v1.yaml'), 'utf8');
    expect(prompt.id).toBe('ecommerce_v1');
    expect(prompt.domain).toBe('ecommerce');
    expect(prompt.file).toBe(path.join(repoPrompts, 'ecommerce_v1.yaml'));
    expect(prompt.content).toBe(content);
    expect(prompt.hash).toBe(sha256(content));
    expect(prompt.template).toBe('Generate {{rows}} product records with fields: name, description, category, price, features\n');
    expect(prompt.variables).toEqual({});
    expect(prompt.columns).toEqual({});
    expect(prompt.rules).toHaveLength(1);
    expect(prompt.rules[0]).toMatchObject({ text: 'if category == "Electronics", price > 50', index: 0, line: 7, file: prompt.file });
    expect(describeRules(prompt.rules)).toBe('1. if category == "Electronics", price > 50');
    expect(renderPromptTemplate(prompt, { rows: 500 })).toBe('Generate 500 product records with fields: name, description, category, price, features\n');
  });

  it('enforces its rule on rows', () => {
    const { rules } = loadPromptFile(repoPrompts, 'ecommerce_v1');
    const rows = [
      { name: 'TV', category: 'Electronics', price: 499 },
      { name: 'Cable', category: 'Electronics', price: 9.99 },
      { name: 'Novel', category: 'Books', price: 12 },
      { name: 'Mystery', category: 'Electronics' },
    ];
    expect(rows.map((row) => violatedRules(rules, row).length)).toEqual([0, 1, 0, 1]);
  });
});

describe('loading', () => {
  it('reads every optional key, keeping a numeric version as written', () => {
    writeFileSync(
      path.join(dir, 'full_v2.yaml'),
      [
        'prompt_id: full_v2',
        'domain: retail',
        'version: 1.0',
        'description: Full example',
        'template: "Make {{rows}} {{kind}} rows, tone {{tone}}, strict={{strict}}"',
        'variables:',
        '  kind: product',
        '  tone: formal',
        '  strict: true',
        'columns:',
        '  price:',
        '    min: 1',
        '    max: 500',
        '  sku:',
        'rules:',
        '  - price >= $1',
        '  - \'category in ["A", "B"]\'',
        '  - >-',
        '    if category == "A",',
        '    price < 100',
        '',
      ].join('\n'),
    );
    const prompt = loadPromptFile(dir, 'full_v2');
    expect(prompt.version).toBe('1.0');
    expect(prompt.description).toBe('Full example');
    expect(prompt.variables).toEqual({ kind: 'product', tone: 'formal', strict: true });
    expect(prompt.columns).toEqual({ price: { min: 1, max: 500 }, sku: {} });
    expect(prompt.rules.map((r) => [r.index, r.line])).toEqual([
      [0, 16],
      [1, 17],
      [2, 18],
    ]);
    expect(prompt.rules[2].test({ category: 'A', price: 150 })).toBe(false);
    expect(prompt.locate(['columns', 'price', 'max'])).toEqual({ file: prompt.file, line: 13 });
    expect(prompt.locate(['columns', 'sku'])).toEqual({ file: prompt.file, line: 14 });
    expect(prompt.locate(['rules', 1]).line).toBe(17);
    expect(prompt.locate(['columns', 'nope', 'x']).line).toBe(10); // deepest part found: "columns"
    expect(renderPromptTemplate(prompt, { rows: 3, tone: 'casual' })).toBe('Make 3 product rows, tone casual, strict=true');
  });

  it('accepts a file without rules and resolves a relative file name', () => {
    const prompt = parsePromptFile('some/dir/bare.yaml', 'prompt_id: bare\ndomain: x\ntemplate: t\n');
    expect(prompt.rules).toEqual([]);
    expect(prompt.file).toBe(path.resolve('some/dir/bare.yaml'));
  });

  it('lists the prompt ids of a folder', () => {
    writeFileSync(path.join(dir, 'notes.txt'), 'not a prompt');
    expect(listPromptIds(dir)).toContain('full_v2');
    expect(listPromptIds(dir)).not.toContain('notes');
    expect(listPromptIds(path.join(dir, 'nope'))).toBeUndefined();
  });
});

describe('errors', () => {
  it('names the closest existing prompt when the file is missing', () => {
    writeFileSync(path.join(dir, 'ecommerce_v1.yaml'), 'prompt_id: ecommerce_v1\ndomain: e\ntemplate: t\n');
    writeFileSync(path.join(dir, 'healthcare_v1.yaml'), 'prompt_id: healthcare_v1\ndomain: h\ntemplate: t\n');
    let err: PromptFileError | undefined;
    try {
      loadPromptFile(dir, 'ecommerse_v1');
    } catch (e) {
      err = e as PromptFileError;
    }
    expect(err).toBeInstanceOf(PromptFileError);
    expect(err!.what).toContain('"ecommerse_v1" not found');
    expect(err!.file).toBe(path.join(dir, 'ecommerse_v1.yaml'));
    expect(err!.why).toContain('ecommerce_v1');
    expect(err!.why).toContain('healthcare_v1');
    expect(err!.fix).toContain("Did you mean 'ecommerce_v1'?");
    expect(err!.exitCode).toBe(2);
  });

  it('says when the prompts folder itself is missing, and hints .yml files', () => {
    expect(() => loadPromptFile(path.join(dir, 'absent'), 'x')).toThrow(/prompts folder .* does not exist/);
    writeFileSync(path.join(dir, 'old_v1.yml'), 'prompt_id: old_v1\n');
    expect(() => loadPromptFile(dir, 'old_v1')).toThrow(PromptFileError);
    try {
      loadPromptFile(dir, 'old_v1');
    } catch (e) {
      expect((e as PromptFileError).fix).toBe('Rename old_v1.yml to old_v1.yaml.');
    }
  });

  it('rejects prompt ids that are paths', () => {
    expect(() => promptFilePath(dir, '../secrets')).toThrow(PromptFileError);
    expect(() => promptFilePath(dir, 'ecommerce_v1.yaml')).toThrow(/not a valid prompt id/);
    expect(promptFilePath(dir, 'ecommerce_v1')).toBe(path.join(dir, 'ecommerce_v1.yaml'));
  });

  it('rejects a prompt_id that differs from the file name, at its line', () => {
    const err = loadError('shop_v2', '# shop\ndomain: shop\nprompt_id: shop_v1\ntemplate: t\n');
    expect(err.what).toContain('prompt_id "shop_v1" does not match the file name "shop_v2.yaml"');
    expect(err.line).toBe(3);
    expect(err.file).toBe(path.join(dir, 'shop_v2.yaml'));
    expect(err.fix).toContain('prompt_id: shop_v2');
  });

  it('reports a YAML syntax error with its line', () => {
    const err = loadError('broken', 'prompt_id: broken\ndomain: x\ntemplate: t\nrules:\n  - "Books" == category\n');
    expect(err.what).toContain('not valid YAML');
    expect(err.line).toBe(5);
    expect(err.column).toBeGreaterThan(0);
  });

  it('reports duplicate keys', () => {
    const err = loadError('dup', 'prompt_id: dup\ndomain: x\ndomain: y\ntemplate: t\n');
    expect(err.what).toContain('not valid YAML');
    expect(err.line).toBe(3);
  });

  it.each([
    ['a missing key', 'nokey', 'prompt_id: nokey\ndomain: x\n', { what: 'The prompt file has no "template" key.', line: 1 }],
    [
      'a wrong type',
      'wrongtype',
      'prompt_id: wrongtype\ndomain: x\ntemplate:\n  - a\nrules: []\n',
      { what: expect.stringContaining('"template" must be a non-empty string, but it is a list'), line: 3 },
    ],
    [
      'rules that are not a list',
      'notlist',
      'prompt_id: notlist\ndomain: x\ntemplate: t\nrules: price > 0\n',
      { what: expect.stringContaining('"rules" must be a list of strings'), line: 4 },
    ],
    ['an unknown key', 'typo', 'prompt_id: typo\ndomain: x\ntemplate: t\nrule:\n  - a > 1\n', { what: 'Unknown key "rule" in the prompt file.', fix: 'Did you mean "rules"?', line: 4 }],
    [
      'a bad variable',
      'badvar',
      'prompt_id: badvar\ndomain: x\ntemplate: t\nvariables:\n  tone: formal\n  list: [1, 2]\n',
      { what: expect.stringContaining('"variables.list" must be a string, number or boolean'), line: 6 },
    ],
    [
      'a column hint that is not a mapping',
      'badcols',
      'prompt_id: badcols\ndomain: x\ntemplate: t\ncolumns:\n  price: 5\n',
      { what: expect.stringContaining('"columns.price" must be a mapping of generator hints'), line: 5 },
    ],
    ['an empty value', 'emptydomain', 'prompt_id: emptydomain\ndomain: ""\ntemplate: t\n', { what: '"domain" is empty.', line: 2 }],
  ])('reports %s', (_case, id, yaml, expected) => {
    expect(loadError(id, yaml)).toMatchObject(expected);
  });

  it('rejects a document that is not a mapping', () => {
    expect(loadError('empty', '').what).toContain('holds nothing');
    expect(loadError('alist', '- a\n- b\n').what).toContain('holds array');
  });

  it('explains a rule that YAML read as a mapping', () => {
    const err = loadError('maprule', 'prompt_id: maprule\ndomain: x\ntemplate: t\nrules:\n  - price > 0\n  - note: price > 1\n');
    expect(err.what).toBe('Rule 2 is not a string but object.');
    expect(err.line).toBe(6);
    expect(err.fix).toContain('Quote the whole rule');
  });

  it('gives the line and file column of a malformed rule', () => {
    const yaml = ['prompt_id: badrule', 'domain: x', 'template: t', 'rules:', '  - price > 0', '  - if category == "A" price > 50', "  - 'ok == 1'", ''].join('\n');
    const err = loadError('badrule', yaml);
    expect(err.what).toContain('Rule 2 is malformed: expected "," between the condition and the assertion');
    expect(err.file).toBe(path.join(dir, 'badrule.yaml'));
    expect(err.line).toBe(6);
    expect(err.column).toBe(5 + 'if category == "A" '.length);
  });

  it('gives the line of a malformed quoted rule, and of one further down', () => {
    const yaml = ['prompt_id: quoted', 'domain: x', 'template: t', 'rules:', '  - price > 0', '  - "ok == 1"', '  - "price >> 2"', ''].join('\n');
    const err = loadError('quoted', yaml);
    expect(err.what).toContain('Rule 3 is malformed: unknown operator ">>"');
    expect(err.line).toBe(7);
    expect(err.column).toBe(6 + 'price '.length);
  });
});
