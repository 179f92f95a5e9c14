#!/usr/bin/env node
import { existsSync } from 'node:fs';

const entry = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('synth: the CLI is not built (dist/ is missing).\n  Why: dist/ is made by `npm ci` / `npm install` (prepare script).\n  Fix: run `npm run build` in the synthgraph folder.\n');
  process.exit(2);
}
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
