import { readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { Catalog, catalogTempFiles, type Run } from './catalog.js';
import { withLock } from './lock.js';
import { isProcessAlive, mayBeRunning } from './process-liveness.js';
import type { ProjectPaths } from './project.js';
import { ObjectStore } from './store.js';

/** What `collectGarbage` found (and removed, unless it was a dry run). */
export interface GarbageReport {
  /** Objects no materialization refers to (left by runs killed between writing data and recording it). */
  orphans: string[];
  /** Temporary files of interrupted writes (objects, the catalog's `.tmp-catalog.json-*`, lock files being created). */
  temporary: string[];
  /** Unreferenced objects kept because a run still going may record them (written after it started). */
  keptForLiveRuns: number;
  bytes: number;
  dryRun: boolean;
}

/**
 * Removes what no record refers to: objects written by runs that were killed before recording
 * them, and temporary files of interrupted writes. Every object a materialization refers to,
 * however old, is kept (it is what makes `cached` reuse possible). Runs under the project's run
 * lock, so no run can be between writing an object and recording it; and, should a run still be
 * going anyway (another host, a lock removed by hand), no object younger than the oldest live run
 * is removed.
 */
export async function collectGarbage(project: Pick<ProjectPaths, 'stateDir'>, options: { dryRun?: boolean } = {}): Promise<GarbageReport> {
  const locksDir = path.join(project.stateDir, 'locks');
  return withLock(locksDir, 'run', { purpose: 'synth gc' }, async () => {
    const catalog = new Catalog(project.stateDir);
    await catalog.load();
    const data = catalog.readAll();
    const liveSince = oldestLiveRun(catalog.openRuns);
    const referenced = new Set<string>();
    for (const m of data.materializations) {
      for (const h of [m.data_hash, m.csv_hash, m.prompt_hash, m.key_inputs?.prompt?.hash, ...(m.objects ?? [])]) if (h) referenced.add(h);
    }
    const report: GarbageReport = { orphans: [], temporary: [], keptForLiveRuns: 0, bytes: 0, dryRun: !!options.dryRun };
    await removeTemporaryFiles(project.stateDir, locksDir, report, options.dryRun);
    const store = ObjectStore.of(project.stateDir);
    const objects = store.dir;
    let prefixes: string[] = [];
    try {
      prefixes = readdirSync(objects);
    } catch {
      return report;
    }
    const removed: string[] = [];
    for (const prefix of prefixes) {
      const dir = path.join(objects, prefix);
      if (prefix.startsWith('.tmp-')) {
        remove(dir, report.temporary, report, options.dryRun);
        continue;
      }
      for (const name of readdirSync(dir)) {
        const file = path.join(dir, name);
        if (name.startsWith('.tmp-')) remove(file, report.temporary, report, options.dryRun);
        else if (!referenced.has(prefix + name)) {
          if (liveSince !== undefined && mtimeOf(file) >= liveSince - CLOCK_SLACK_MS) report.keptForLiveRuns++;
          else if (remove(file, report.orphans, report, options.dryRun)) removed.push(prefix + name);
        }
      }
    }
    if (!options.dryRun) store.forgetVerified(removed);
    return report;
  });
}

/** Removes `file` (unless a dry run) and counts it; false when it was already gone. */
function remove(file: string, list: string[], report: GarbageReport, dryRun?: boolean): boolean {
  try {
    report.bytes += statSync(file).size;
  } catch {
    return false;
  }
  list.push(file);
  if (!dryRun) rmSync(file, { force: true });
  return true;
}

/** Margin for coarse file-system timestamps when comparing an object's mtime with a run's start. */
const CLOCK_SLACK_MS = 2_000;

function mtimeOf(file: string): number {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

/** Start (ms) of the oldest recorded run that has not finished and whose process may still be running. */
function oldestLiveRun(runs: readonly Run[]): number | undefined {
  let oldest: number | undefined;
  for (const run of runs) {
    if (run.finished_at !== null) continue;
    if (!mayBeRunning(run)) continue;
    const t = Date.parse(run.started_at);
    if (oldest === undefined || t < oldest) oldest = t;
  }
  return oldest;
}

/** The catalog's temporary files (under the catalog lock, so no writer is using them) and lock files half-made by processes that are gone. */
async function removeTemporaryFiles(stateDir: string, locksDir: string, report: GarbageReport, dryRun?: boolean): Promise<void> {
  await withLock(locksDir, 'catalog', { purpose: 'synth gc' }, async () => {
    for (const file of catalogTempFiles(stateDir)) remove(file, report.temporary, report, dryRun);
  });
  for (const name of safeList(locksDir)) {
    const pid = /\.(\d+)-[0-9a-f]+\.tmp$/.exec(name)?.[1];
    if (pid !== undefined && !isProcessAlive(Number(pid))) remove(path.join(locksDir, name), report.temporary, report, dryRun);
  }
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
