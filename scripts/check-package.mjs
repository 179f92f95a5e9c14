// The package-shape check of `npm test` (as Hono and others run after each build): packs the
// package as `npm publish` would (prepack builds dist/ with its .d.ts files), then runs publint
// (package.json fields, files that exist, export conditions) and arethetypeswrong (the types
// resolve for every module resolution a consumer may use) on that tarball.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const dir = mkdtempSync(path.join(tmpdir(), 'synth-pack-'));
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
try {
  const [packed] = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', dir], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }));
  const tarball = path.join(dir, packed.filename);
  console.log(`package: ${packed.filename}, ${packed.entryCount} files, ${(packed.size / 1024).toFixed(0)} kB packed`);
  execFileSync(bin('publint'), ['run', tarball, '--strict'], { cwd: root, stdio: 'inherit' });
  // esm-only: synthgraph is an ES module package; require() of it is Node's require(esm).
  execFileSync(bin('attw'), [tarball, '--profile', 'esm-only'], { cwd: root, stdio: 'inherit' });
} finally {
  rmSync(dir, { recursive: true, force: true });
}
