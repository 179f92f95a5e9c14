import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { REPO } from '../support/project.js';

// Which room may import which is an ESLint rule (import-x/no-restricted-paths, zones in
// eslint.config.js), run over src/ by `npm run lint` (part of `npm test`). These tests run that rule
// alone over files that break it on purpose, so a rule that silently stopped firing (a resolver that
// no longer finds `.ts` behind a `.js` specifier, a zone path that no longer matches) fails here.
const RULE = 'import-x/no-restricted-paths';

const eslint = new ESLint({ cwd: REPO, ruleFilter: ({ ruleId }) => ruleId === RULE });

/** The room-rule messages for `text` as if it were the file `file` (relative to the repository). */
async function roomViolations(file: string, text: string): Promise<string[]> {
  const [result] = await eslint.lintText(text, { filePath: `${REPO}/${file}` });
  return result!.messages.filter((m) => m.ruleId === RULE).map((m) => `${file}:${m.line} ${m.message}`);
}

describe('rooms point one way (eslint.config.js, import-x/no-restricted-paths)', () => {
  it('the engine imports only the engine: any other room, also one added later, is refused', async () => {
    const text = [
      "import { registerGenerator } from './generator-registry.js';",
      "import { Outcome } from './events.js';",
      "import { x } from '../generators/registry.js';",
      "import type { Output } from '../cli/output.js';",
      "export { y } from '../inspect/index.js';",
      "const later = await import('../images/index.js');",
      'export const all = [registerGenerator, Outcome, x, later];',
    ].join('\n');
    const found = await roomViolations('src/engine/room-fixture.ts', text);
    expect(found.map((f) => f.split(' ')[0])).toEqual(['src/engine/room-fixture.ts:3', 'src/engine/room-fixture.ts:4', 'src/engine/room-fixture.ts:4', 'src/engine/room-fixture.ts:5']);
    expect(found[0]).toContain('The engine imports nothing outside src/engine');
  });

  it('src/kinds (the source and function kinds) imports only the engine', async () => {
    const text = "import { defineAsset } from '../engine/index.js';\nimport { dataset } from '../generators/dataset-asset.js';\nexport const all = [defineAsset, dataset];\n";
    expect(await roomViolations('src/kinds/room-fixture.ts', text)).toEqual([expect.stringMatching(/^src\/kinds\/room-fixture\.ts:2 .*imports only src\/engine/)]);
  });

  it('only the CLI imports the CLI, only the CLI the UI (through src/ui/index.ts), in every room including new ones', async () => {
    expect(await roomViolations('src/ui/room-fixture.ts', "import { table } from '../cli/output.js';\nexport const t = table;\n")).toEqual([
      expect.stringMatching(/^src\/ui\/room-fixture\.ts:1 .*Only src\/cli imports src\/cli/),
    ]);
    expect(
      await roomViolations(
        'src/inspect/room-fixture.ts',
        "import { startUiServer } from '../ui/index.js';\nimport type { Output } from '../cli/output.js';\nexport const s: [typeof startUiServer, Output?] = [startUiServer];\n",
      ),
    ).toHaveLength(2);
    expect(await roomViolations('src/queue/room-fixture.ts', "import { main } from '../cli/main.js';\nexport const m = main;\n")).toHaveLength(1);
    expect(await roomViolations('src/room-fixture.ts', "export { main } from './cli/main.js';\n")).toHaveLength(1);
    expect(await roomViolations('src/cli/room-fixture.ts', "import { uiData } from '../ui/ui-data.js';\nexport const u = uiData;\n")).toEqual([
      expect.stringMatching(/src\/cli imports the UI through its public entry/),
    ]);
    expect(
      await roomViolations(
        'src/cli/room-fixture.ts',
        "import { startUiServer } from '../ui/index.js';\nimport { computeStatus } from '../engine/index.js';\nimport { traceLineage } from '../inspect/index.js';\nexport const ok = [startUiServer, computeStatus, traceLineage];\n",
      ),
    ).toEqual([]);
  });
});

describe('no import cycle between rooms', () => {
  it('the rooms of src/ (a folder each; top-level files as one) form no cycle', async () => {
    const { readdirSync, readFileSync } = await import('node:fs');
    const path = await import('node:path');
    const ts = (await import('typescript')).default;
    const src = path.join(REPO, 'src');
    const roomOf = (rel: string) => (rel.includes(path.sep) ? rel.split(path.sep)[0] : '(top)');
    const edges = new Map<string, Set<string>>();
    const walk = (dir: string) => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, e.name);
        if (e.isDirectory()) walk(full);
        else if (/\.ts$/.test(e.name) && !e.name.endsWith('.d.ts')) {
          const from = roomOf(path.relative(src, full));
          for (const { fileName } of ts.preProcessFile(readFileSync(full, 'utf8'), true, true).importedFiles) {
            if (!fileName.startsWith('.')) continue;
            const to = roomOf(path.relative(src, path.resolve(path.dirname(full), fileName)));
            if (to !== from && !to.startsWith('..')) (edges.get(from) ?? edges.set(from, new Set()).get(from)!).add(to);
          }
        }
      }
    };
    walk(src);
    const reaches = (a: string, b: string) => {
      const seen = new Set([a]);
      const stack = [a];
      while (stack.length) {
        for (const y of edges.get(stack.pop()!) ?? []) {
          if (y === b) return true;
          if (!seen.has(y)) {
            seen.add(y);
            stack.push(y);
          }
        }
      }
      return false;
    };
    const cycles = [...edges].flatMap(([a, tos]) => [...tos].filter((b) => reaches(b, a)).map((b) => `${a} -> ${b} -> ... -> ${a}`));
    expect(cycles).toEqual([]);
  });
});
