// `prepare` runs after `npm install` / `npm ci` in this repository, and when npm installs
// synthgraph from a git URL (npm then installs the dev dependencies first). It builds dist/ so
// that `npx synth` works in a clone. When the build tools are not installed (a path install of
// a fresh clone, where npm links the folder without its dev dependencies) it says so and
// succeeds: failing would fail the user's whole `npm install`. `npm pack` and `npm publish`
// build in `prepack` instead, so nothing is built twice.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

if (process.env.npm_command === 'pack' || process.env.npm_command === 'publish') process.exit(0);
const require = createRequire(import.meta.url);
const has = (name) => {
  try {
    require.resolve(name);
    return true;
  } catch {
    return false;
  }
};
const tools = ['esbuild', 'typescript'].filter((t) => !has(t));
if (tools.length > 0) {
  process.stderr.write(
    `synthgraph: not building dist/ (${tools.join(', ')} not installed here).\n` +
      '  Install from a packed tarball (npm pack) or a git URL, or run `npm install && npm run build` in the synthgraph folder.\n',
  );
  process.exit(0);
}
const r = spawnSync(process.execPath, [new URL('build.mjs', import.meta.url).pathname, '--types'], { stdio: 'inherit' });
process.exit(r.status ?? 1);
