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
// Every command, even \`ui\`, \`daemon\` and \`worker\`, has finished its work once main() returns: a
// handle a library failed to release (a reconnecting client, a helper service) must not keep a
// finished command alive. The timer is unref'd, so it fires only in that case.
setTimeout(() => {
  if (process.env.SYNTH_DEBUG_HANDLES) process.stderr.write(`synth: exiting with handles still open: ${process.getActiveResourcesInfo().join(', ')}\n`);
  process.exit();
}, 3000).unref();
