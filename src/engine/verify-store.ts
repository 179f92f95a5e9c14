import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Catalog, isCatalogTemp } from './catalog.js';
import { sha256 } from './hashing.js';
import type { ProjectPaths } from './project.js';
import { ObjectStore } from './store.js';

/** Kinds of problem `synth verify` reports. */
export const StoreProblemKind = {
  /** An object whose bytes no longer match its name (its sha256). */
  corrupt: 'corrupt',
  /** An object the catalog refers to that is not in the store. */
  missing: 'missing',
  /** A temporary file left by an interrupted write. */
  temporary: 'temporary',
} as const;
export type StoreProblemKind = (typeof StoreProblemKind)[keyof typeof StoreProblemKind];

/** One problem found by `verifyStore`, with what to do about it. */
export interface StoreProblem {
  kind: StoreProblemKind;
  file: string;
  hash: string | null;
  /** Assets whose current value (latest successful materialization) is this object. */
  current: string[];
  /** Assets with only older materializations referring to it. */
  history: string[];
  fix: string;
}

/** What `verifyStore` found. */
export interface VerifyReport {
  objects: number;
  bytes: number;
  /** Object references in the catalog that were checked. */
  references: number;
  problems: StoreProblem[];
}

interface Reference {
  current: Set<string>;
  history: Set<string>;
}

/**
 * Checks the whole store against itself and the catalog: every object's bytes against its name
 * (a full sha256 of every file), every catalog reference against the store, and temporary files
 * left behind. Read-only: each problem says what to do (`synth materialize` rebuilds the current
 * value of an asset whose object is damaged or missing; `synth gc` removes temporary files).
 */
export async function verifyStore(project: Pick<ProjectPaths, 'stateDir'>): Promise<VerifyReport> {
  const catalog = new Catalog(project.stateDir);
  const data = await catalog.load();
  const refs = new Map<string, Reference>();
  const latest = catalog.lookup;
  for (const m of data.materializations) {
    if (m.status !== 'success') continue;
    const current = latest.latestSuccess(m.asset)?.id === m.id;
    for (const h of [m.data_hash, m.csv_hash, m.prompt_hash, ...(m.objects ?? [])]) {
      if (!h) continue;
      let ref = refs.get(h);
      if (!ref) refs.set(h, (ref = { current: new Set(), history: new Set() }));
      (current ? ref.current : ref.history).add(m.asset);
    }
  }
  for (const ref of refs.values()) for (const a of ref.current) ref.history.delete(a);

  const store = ObjectStore.of(project.stateDir);
  const report: VerifyReport = { objects: 0, bytes: 0, references: refs.size, problems: [] };
  const problem = (kind: StoreProblemKind, file: string, hash: string | null, fix: string): void => {
    const ref = hash ? refs.get(hash) : undefined;
    report.problems.push({ kind, file, hash, current: [...(ref?.current ?? [])].sort(), history: [...(ref?.history ?? [])].sort(), fix });
  };
  const rebuild = (hash: string): string => {
    const ref = refs.get(hash);
    if (ref?.current.size) return `run \`synth materialize ${[...ref.current].sort().join(' ')}\`: the damaged value is rebuilt (status shows it stale meanwhile)`;
    if (ref?.history.size) return 'nothing to do: only older versions use it, and one is recomputed if it is ever needed again';
    return 'nothing refers to it: `synth gc` removes it';
  };
  const seen = new Set<string>();
  for (const prefix of list(store.dir)) {
    const dir = path.join(store.dir, prefix);
    if (prefix.startsWith('.tmp-')) {
      problem('temporary', dir, null, 'run `synth gc` to remove it');
      continue;
    }
    for (const name of list(dir)) {
      const file = path.join(dir, name);
      if (name.startsWith('.tmp-')) {
        problem('temporary', file, null, 'run `synth gc` to remove it');
        continue;
      }
      let bytes: Buffer;
      try {
        bytes = readFileSync(file);
      } catch {
        continue; // removed meanwhile, or a folder
      }
      const hash = prefix + name;
      seen.add(hash);
      report.objects++;
      report.bytes += bytes.length;
      if (sha256(bytes) !== hash) problem('corrupt', file, hash, rebuild(hash));
    }
  }
  for (const hash of refs.keys()) if (!seen.has(hash)) problem('missing', store.pathOf(hash), hash, rebuild(hash));
  for (const name of list(project.stateDir)) if (isCatalogTemp(name)) problem('temporary', path.join(project.stateDir, name), null, 'run `synth gc` to remove it');
  return report;
}

function list(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
