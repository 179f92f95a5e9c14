import { readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { Catalog } from './catalog.js';
import { withLock } from './lock.js';
import type { ProjectPaths } from './project.js';
import { ObjectStore } from './store.js';

/** What `collectGarbage` found (and removed, unless it was a dry run). */
export interface GarbageReport {
  /** Objects no materialization refers to (left by runs killed between writing data and recording it). */
  orphans: string[];
  /** Temporary files of interrupted writes. */
  temporary: string[];
  bytes: number;
  dryRun: boolean;
}

/**
 * Removes what no record refers to: objects written by runs that were killed before recording
 * them, and temporary files of interrupted writes. Every object a materialization refers to,
 * however old, is kept (it is what makes `cached` reuse possible). Runs under the project's run
 * lock, so no run can be between writing an object and recording it.
 */
export async function collectGarbage(project: Pick<ProjectPaths, 'stateDir'>, options: { dryRun?: boolean } = {}): Promise<GarbageReport> {
  const locksDir = path.join(project.stateDir, 'locks');
  return withLock(locksDir, 'run', { purpose: 'synth gc' }, async () => {
    const catalog = new Catalog(project.stateDir);
    const data = await catalog.load();
    const referenced = new Set<string>();
    for (const m of data.materializations) {
      for (const h of [m.data_hash, m.csv_hash, m.prompt_hash, m.key_inputs?.prompt?.hash]) if (h) referenced.add(h);
    }
    const report: GarbageReport = { orphans: [], temporary: [], bytes: 0, dryRun: !!options.dryRun };
    const objects = ObjectStore.of(project.stateDir).dir;
    let prefixes: string[] = [];
    try {
      prefixes = readdirSync(objects);
    } catch {
      return report;
    }
    for (const prefix of prefixes) {
      const dir = path.join(objects, prefix);
      if (prefix.startsWith('.tmp-')) {
        remove(dir, report.temporary, report, options.dryRun);
        continue;
      }
      for (const name of readdirSync(dir)) {
        const file = path.join(dir, name);
        if (name.startsWith('.tmp-')) remove(file, report.temporary, report, options.dryRun);
        else if (!referenced.has(prefix + name)) remove(file, report.orphans, report, options.dryRun);
      }
    }
    return report;
  });
}

function remove(file: string, list: string[], report: GarbageReport, dryRun?: boolean): void {
  try {
    report.bytes += statSync(file).size;
  } catch {
    return;
  }
  list.push(file);
  if (!dryRun) rmSync(file, { force: true });
}
