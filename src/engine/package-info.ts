import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folder of synthgraph's own package. This module runs from `src/` (tests, tsx) or from a
 * bundled chunk in `dist/`, so walk up to the package.json named synthgraph rather than assume a depth.
 */
export function packageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = readPackageJson(dir);
    if (pkg?.name === 'synthgraph') return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('cannot find the synthgraph package folder (no package.json named synthgraph above this module)');
    dir = parent;
  }
}

/**
 * synthgraph's version, from its own package.json (never `npm_package_version`, which is the
 * version of whatever project runs the command).
 */
export function packageVersion(): string {
  return readPackageJson(packageRoot())?.version ?? 'unknown';
}

function readPackageJson(dir: string): { name?: string; version?: string } | undefined {
  const file = path.join(dir, 'package.json');
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
  } catch {
    // Not ours (or unreadable): keep walking up.
    return undefined;
  }
}
