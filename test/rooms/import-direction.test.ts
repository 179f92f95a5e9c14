import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO } from '../support/project.js';

// Which room may not import which, until a linter checks it (issue 13). A room is a folder under src/.
// The CLI and the UI only render: the queries they share live in src/inspect, which knows neither.
const FORBIDDEN: Record<string, readonly string[]> = {
  ui: ['cli'],
  inspect: ['cli', 'ui'],
};

/** Every import from one room into another: `from` and `to` are room names, `file` relative to src/. */
interface RoomImport {
  file: string;
  from: string;
  to: string;
  specifier: string;
}

function roomImports(srcDir: string): RoomImport[] {
  const out: RoomImport[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.(ts|mts|tsx)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) {
        const rel = path.relative(srcDir, full);
        const from = rel.split(path.sep)[0];
        // The TypeScript compiler's own scan: static imports, `export ... from`, `import()` and `import type`.
        for (const { fileName } of ts.preProcessFile(readFileSync(full, 'utf8'), true, true).importedFiles) {
          if (!fileName.startsWith('.')) continue;
          const target = path.relative(srcDir, path.resolve(path.dirname(full), fileName));
          const to = target.split(path.sep)[0];
          if (to !== from && !to.startsWith('..') && to !== path.basename(target)) out.push({ file: rel, from, to, specifier: fileName });
        }
      }
    }
  };
  walk(srcDir);
  return out;
}

function violations(srcDir: string, forbidden: Record<string, readonly string[]>): string[] {
  return roomImports(srcDir)
    .filter((i) => forbidden[i.from]?.includes(i.to))
    .map((i) => `src/${i.file} imports src/${i.to} ('${i.specifier}')`);
}

const SRC = path.join(REPO, 'src');
const rooms = readdirSync(SRC, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);

describe('rooms point one way', () => {
  it('src/ui imports nothing from src/cli, src/inspect nothing from src/cli or src/ui', () => {
    expect(violations(SRC, FORBIDDEN)).toEqual([]);
  });

  it('src/engine imports no other room: plug-ins register through its seams', () => {
    expect(violations(SRC, { engine: rooms.filter((r) => r !== 'engine') })).toEqual([]);
  });

  it('src/kinds (the source and asset kinds) imports only src/engine', () => {
    expect(rooms).toContain('kinds');
    expect(violations(SRC, { kinds: rooms.filter((r) => r !== 'engine' && r !== 'kinds') })).toEqual([]);
  });

  describe('the check itself', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'synth-rooms-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const write = (rel: string, text: string) => {
      mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      writeFileSync(path.join(dir, rel), text);
    };

    it('finds static, type-only, re-exported and dynamic imports across rooms, and ignores packages and same-room files', () => {
      write('cli/render.ts', 'export const x = 1;\n');
      write('ui/a.ts', "import { x } from '../cli/render.js';\nimport { z } from 'zod';\nimport { y } from './b.js';\n");
      write('ui/b.ts', "import type { x } from '../cli/render.js';\nexport const y = 2;\n");
      write('ui/c.ts', "export { x } from '../cli/render.js';\n");
      write('ui/d.ts', "const m = await import('../cli/render.js');\n");
      write('inspect/e.ts', "import { y } from '../ui/b.js';\nimport { w } from '../engine/index.js';\n");
      write('engine/index.ts', 'export const w = 3;\n');
      expect(violations(dir, FORBIDDEN).sort()).toEqual([
        "src/inspect/e.ts imports src/ui ('../ui/b.js')",
        "src/ui/a.ts imports src/cli ('../cli/render.js')",
        "src/ui/b.ts imports src/cli ('../cli/render.js')",
        "src/ui/c.ts imports src/cli ('../cli/render.js')",
        "src/ui/d.ts imports src/cli ('../cli/render.js')",
      ]);
    });
  });
});
