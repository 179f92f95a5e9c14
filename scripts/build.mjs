// Bundles the library and the CLI into dist/ (ESM, packages external). Runs on `npm ci` (prepare).
// dist/ is never deleted first: other processes (tests, a running daemon) may be loading it.
// Files of earlier builds are removed after the new ones are written.
import { build } from 'esbuild';
import { readdirSync, rmSync } from 'node:fs';
import path from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const result = await build({
  entryPoints: { index: 'src/index.ts', 'cli/main': 'src/cli/main.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  metafile: true,
  logLevel: 'warning',
  absWorkingDir: root,
});
const keep = new Set(Object.keys(result.metafile.outputs).map((f) => path.resolve(root, f)));
const sweep = (dir) => {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) sweep(file);
    else if (!keep.has(file)) rmSync(file, { force: true });
  }
};
sweep(path.join(root, 'dist'));
