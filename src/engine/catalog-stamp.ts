import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { SegmentLog } from './catalog-log.js';
import { fileIdentity, identityOf } from './file-identity.js';

/**
 * A stamp that changes whenever a process records something in the catalog: the identity (inode,
 * size, mtime) of `catalog.json` and of every file directly in `catalog/` (state and runs files),
 * and the end of the materializations log. Cheap (a listing and a few `stat`s) and read without
 * the catalog's schemas. `materializationsOnly` leaves out what records runs and schedules
 * (`runs.json`), which a no-op run rewrites: enough for what depends only on the assets' records.
 */
export function catalogStamp(stateDir: string, options: { materializationsOnly?: boolean } = {}): string {
  const dir = path.join(stateDir, 'catalog');
  const parts = [fileIdentity(path.join(stateDir, 'catalog.json'))];
  let names: string[] = [];
  try {
    names = readdirSync(dir).sort();
  } catch {
    // no split catalog (yet)
  }
  for (const name of names) {
    if (options.materializationsOnly && name === 'runs.json') continue;
    const s = statSync(path.join(dir, name), { throwIfNoEntry: false });
    if (s?.isFile()) parts.push(`${name}=${identityOf(s)}`);
  }
  const end = new SegmentLog(path.join(dir, 'materializations'), () => Infinity).end();
  parts.push(`${end.segment}:${end.offset}`);
  return parts.join('|');
}
