import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../support/project.js';

// The import-direction rule until a linter enforces it: the engine knows no plug-in (generators,
// prompt files and rules, validation, lineage, CLI, UI...). Plug-ins register through its seams
// (registerGenerator, registerPromptLoader, synth.config.json "plugins"), never the other way round.
const ENGINE = path.join(REPO, 'src', 'engine');

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? tsFiles(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));
}

/** Relative specifiers of static imports, re-exports and dynamic imports. */
function relativeImports(text: string): string[] {
  const specs = [...text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)(['"])(\.[^'"]*)\1/gm)].map((m) => m[2]);
  return specs;
}

describe('import direction', () => {
  const files = tsFiles(ENGINE);

  it('finds the engine sources and their relative imports', () => {
    expect(files.length).toBeGreaterThan(20);
    expect(relativeImports(readFileSync(path.join(ENGINE, 'project.ts'), 'utf8'))).toContain('./prompt-loader.js');
  });

  it('src/engine imports nothing outside src/engine', () => {
    const outside: string[] = [];
    for (const file of files) {
      for (const spec of relativeImports(readFileSync(file, 'utf8'))) {
        const target = path.resolve(path.dirname(file), spec);
        if (path.relative(ENGINE, target).startsWith('..')) outside.push(`${path.relative(REPO, file)} → ${spec}`);
      }
    }
    expect(outside).toEqual([]);
  });

  it('src/engine names no built-in generator or prompt-file format', () => {
    const named: string[] = [];
    for (const file of files) {
      // Comments may name them (documentation for users); code may not.
      const code = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\/|^\s*\/\/.*$/gm, '');
      if (/provider:\s*['"](local|openai)['"]|['"]openai['"]|\.ya?ml['"]/.test(code)) named.push(path.relative(REPO, file));
    }
    expect(named).toEqual([]);
  });
});
