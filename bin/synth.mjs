#!/usr/bin/env node
import { existsSync } from 'node:fs';

const entry = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write(
    'synth: the CLI is not built (dist/ is missing).\n  Why: a package from `npm pack` or a git URL comes built; a linked folder (npm install /path/to/a/clone) is built only where its dev tools are installed.\n  Fix: run `npm install && npm run build` in the synthgraph folder, or install a packed tarball (npm pack).\n',
  );
  process.exit(2);
}
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
