import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { makeProject, REPO, removeProject, synth, writeProjectFile } from '../support/project.js';

// Providers register with the engine by name and version only; their code (and the openai SDK)
// loads when a dataset is generated. A local-only project's `synth status` must not load it, also
// when its definitions inline synthgraph's sources (as the repository's own examples do, through
// tsconfig paths): registration must never reach the definitions bundle.
const HOOKS = `
import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  appendFileSync(process.env.SYNTH_TEST_MODULE_LOG, r.url + '\\n');
  return r;
}
`;
const REGISTER = `import { register } from 'node:module';\nregister(new URL('./hooks.mjs', import.meta.url));\n`;

describe('built-in providers load lazily', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach(removeProject));

  /** Module URLs a `synth` process resolves. */
  const loadedBy = (dir: string, args: string[]): string[] => {
    const file = path.join(dir, 'modules.log');
    writeFileSync(file, '');
    const r = synth(dir, args, { NODE_OPTIONS: `--import=${pathToFileURL(path.join(dir, 'register-hooks.mjs')).href}`, SYNTH_TEST_MODULE_LOG: file });
    expect(r.code, r.stderr).toBe(0);
    return readFileSync(file, 'utf8').split('\n').filter(Boolean);
  };

  it.each([
    ['installed synthgraph', false],
    ['synthgraph sources inlined through tsconfig paths', true],
  ])('synth status on the local-only examples loads neither the openai SDK nor a provider (%s)', (_label, inline) => {
    const dir = makeProject({ 'hooks.mjs': HOOKS, 'register-hooks.mjs': REGISTER }, { examples: true });
    dirs.push(dir);
    if (inline) writeProjectFile(dir, 'tsconfig.json', JSON.stringify({ compilerOptions: { paths: { synthgraph: [path.join(REPO, 'src', 'index.ts')] } } }));
    const loaded = loadedBy(dir, ['status']);
    expect(loaded.some((u) => u.includes('/src/assets/') || u.includes('/defs/defs-'))).toBe(true);
    expect(loaded.filter((u) => /\/node_modules\/(openai|@faker-js)\//.test(u))).toEqual([]);
  });
});
