// Builds the package into dist/: the library and the CLI bundled by esbuild (ESM, packages
// external), and with `--types` the .d.ts files emitted by tsc from the library's sources
// (dist/types/). `npm run build` and `prepack` (npm pack / publish) build both; the test
// suite's global setup builds only the JavaScript.
// dist/ is never deleted first: other processes (tests, a running daemon) may be loading it.
// Files of earlier builds are removed after the new ones are written.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const withTypes = process.argv.includes('--types');
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
  write: false,
  logLevel: 'warning',
  absWorkingDir: root,
});
// A file is replaced only when its content changed, by rename: a process loading dist/ meanwhile
// (a test, `npm pack` during the test suite) never reads a half-written file.
for (const file of result.outputFiles) {
  if (existsSync(file.path) && readFileSync(file.path).equals(file.contents)) continue;
  mkdirSync(path.dirname(file.path), { recursive: true });
  const tmp = `${file.path}.${process.pid}.tmp`;
  writeFileSync(tmp, file.contents);
  renameSync(tmp, file.path);
}
const keep = new Set(Object.keys(result.metafile.outputs).map((f) => path.resolve(root, f)));
const types = path.join(root, 'dist', 'types');
const sweep = (dir) => {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (file === types) continue;
    if (entry.isDirectory()) sweep(file);
    else if (!keep.has(file)) rmSync(file, { force: true });
  }
};
sweep(path.join(root, 'dist'));

if (withTypes) {
  // Declarations are read by type checkers only, never loaded at run time: safe to replace whole.
  rmSync(types, { recursive: true, force: true });
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
}
