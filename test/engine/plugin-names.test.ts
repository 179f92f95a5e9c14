import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../support/project.js';

// The engine knows no plug-in by name: asset kinds, generators and prompt files register through its
// seams (registerAssetKind, registerGenerator, registerPromptLoader, synth.config.json "plugins"). Which rooms it may
// import is checked in test/rooms/import-direction.test.ts.
const ENGINE = path.join(REPO, 'src', 'engine');

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? tsFiles(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));
}

describe('engine names no plug-in', () => {
  it('src/engine names no built-in generator or prompt-file format', () => {
    const files = tsFiles(ENGINE);
    expect(files.length).toBeGreaterThan(20);
    const named: string[] = [];
    for (const file of files) {
      // Comments may name them (documentation for users); code may not.
      const code = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\/|^\s*\/\/.*$/gm, '');
      if (/provider:\s*['"](local|openai)['"]|['"]openai['"]|\.ya?ml['"]/.test(code)) named.push(path.relative(REPO, file));
    }
    expect(named).toEqual([]);
  });

  it('src/engine names no built-in asset kind: kinds register through registerAssetKind', () => {
    const named: string[] = [];
    for (const file of tsFiles(ENGINE)) {
      // The definitions' brand (`__synthgraph: 'asset'`) is no kind; as a kind it would be `kind: 'asset'` or `=== 'asset'`.
      const code = readFileSync(file, 'utf8')
        .replace(/\/\*[\s\S]*?\*\/|^\s*\/\/.*$/gm, '')
        .replace(/__synthgraph[^\n]*?'asset'/g, '');
      if (/['"`](source|dataset|validation|model)['"`]|(kind\s*:|===?)\s*['"]asset['"]/.test(code)) named.push(path.relative(REPO, file));
    }
    expect(named).toEqual([]);
  });
});
