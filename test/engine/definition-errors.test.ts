import { writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { makeProject, removeProject, synth } from '../support/project.js';

let dirs: string[] = [];
afterEach(() => {
  dirs.forEach(removeProject);
  dirs = [];
});
function project(files: Record<string, string>, examples = false): string {
  const dir = makeProject(files, { examples });
  dirs.push(dir);
  return dir;
}

describe('bad definitions and input exit 2 with a message naming the problem', () => {
  it('a dependency cycle names every asset on it', () => {
    const dir = project({
      'src/assets/index.ts': `
        import { asset } from 'synthgraph';
        export const a = asset({ name: 'a', deps: { c: 'c' }, materialize: () => 1 });
        export const b = asset({ name: 'b', deps: { a }, materialize: () => 1 });
        export const c = asset({ name: 'c', deps: { b }, materialize: () => 1 });
        export const d = asset({ name: 'd', deps: { a }, materialize: () => 1 });`,
    });
    const r = synth(dir, ['status']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('dependency cycle: a → b → c → a');
    expect(r.stderr).not.toMatch(/\n\s+at .*\.js:\d+/); // no stack trace without --verbose
  });

  it('an unknown dependency suggests the closest name', () => {
    const dir = project({
      'src/assets/index.ts': `
        import { asset } from 'synthgraph';
        export const products = asset({ name: 'products', materialize: () => 1 });
        export const report = asset({ name: 'report', deps: { p: 'prodcts' }, materialize: () => 1 });`,
    });
    const r = synth(dir, ['materialize']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Asset "report" depends on an unknown asset "prodcts"');
    expect(r.stderr).toContain('Did you mean "products"?');
  });

  it('duplicate names and a schema that is not a zod object are refused', () => {
    const dup = project({
      'src/assets/index.ts': `
        import { asset } from 'synthgraph';
        export const a = asset({ name: 'same', materialize: () => 1 });
        export const b = asset({ name: 'same', materialize: () => 2 });`,
    });
    const r = synth(dup, ['status']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Two assets are named "same"');

    const bad = project(
      {
        'src/assets/index.ts': `
        import { z } from 'zod';
        import { dataset } from 'synthgraph';
        export const d = dataset({ name: 'd', schema: z.string() as never, prompt: 'ecommerce_v1', rows: 5 });`,
      },
      true,
    );
    const r2 = synth(bad, ['status', '--defs', 'src/assets/index.ts']);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toContain('schema that is not a zod object');
  });

  it('a malformed prompt file gives file:line', () => {
    const dir = project({}, true);
    const yaml = ['prompt_id: ecommerce_v1', 'domain: ecommerce', 'template: >', '  Generate {{rows}} products', 'rules:', '  - if category == "Electronics", price >> 50', ''].join(
      '\n',
    );
    synth(dir, ['status']); // warm
    writeFileSync(`${dir}/prompts/ecommerce_v1.yaml`, yaml);
    const r = synth(dir, ['status']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('prompts/ecommerce_v1.yaml:6');
  });

  it('a prompt file that is not valid YAML gives its line', () => {
    const dir = project({}, true);
    writeFileSync(`${dir}/prompts/ecommerce_v1.yaml`, 'prompt_id: ecommerce_v1\ndomain: [unclosed\ntemplate: x\n');
    const r = synth(dir, ['materialize']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/prompts\/ecommerce_v1\.yaml:\d+/);
  });

  it('an unknown selection names the closest asset; bad flags are usage errors', () => {
    const dir = project({}, true);
    const r = synth(dir, ['materialize', 'prodcts']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Unknown asset "prodcts"');
    expect(r.stderr).toContain('Did you mean "products"?');
    expect(synth(dir, ['materialize', '--seed', 'abc']).code).toBe(2);
    expect(synth(dir, ['graph', '--format', 'png']).code).toBe(2);
    expect(synth(dir, ['show', 'nope']).code).toBe(2);
    expect(synth(dir, ['frobnicate']).code).toBe(2);
  });

  it('TypeScript syntax errors point at file:line', () => {
    const dir = project({ 'src/assets/index.ts': "import { asset } from 'synthgraph';\nexport const a = asset({ name: 'a', materialize: () => 1 ;\n" });
    const r = synth(dir, ['status']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('src/assets/index.ts:2');
  });

  it('a catalog damaged by hand is reported with its path and how to recover, exit 2', () => {
    const dir = project({ 'src/assets/index.ts': "import { asset } from 'synthgraph';\nexport const a = asset({ name: 'a', materialize: () => 1 });\n" });
    expect(synth(dir, ['materialize']).code).toBe(0);
    writeFileSync(`${dir}/.synth/catalog.json`, '{"version": 1, "materializations": [');
    const r = synth(dir, ['status']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('.synth/catalog.json cannot be read');
    expect(r.stderr).toContain('move it away to start a new catalog');
  });

  it('synth with no arguments prints the help and exits 0', () => {
    const dir = project({ 'src/assets/index.ts': 'export {};\n' });
    const r = synth(dir, []);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: synth');
  });
});
