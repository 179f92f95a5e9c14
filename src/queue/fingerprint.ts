import { readFileSync } from 'node:fs';
import path from 'node:path';
import { bundledSourceFiles, hashJson, packageVersion, type Project, sha256 } from '../engine/index.js';

/** A project's definitions fingerprint and what it is made of (each a sha256, or the version). */
export interface Fingerprint {
  hash: string;
  parts: Record<string, string>;
}

/**
 * What a worker must share with the coordinator to compute the same bytes: the definitions
 * (every project file bundled into them, by path relative to the root, and its content), the
 * prompt files, and the synthgraph version. Computed once per process, after the project loaded.
 */
export function definitionsFingerprint(project: Project): Fingerprint {
  const files = bundledSourceFiles(path.join(project.stateDir, 'cache'))
    .map((file) => [path.relative(project.root, file).split(path.sep).join('/'), sha256(readFileSync(file))] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const prompts = [...project.assets.values()]
    .filter((a) => a.prompt)
    .map((a) => [a.prompt!.id, a.prompt!.hash] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const parts = { definitions: hashJson(files), prompts: hashJson(prompts), synthgraph: packageVersion() };
  return { hash: hashJson(parts), parts };
}

/** Names the parts that differ, for a refusal message. */
export function fingerprintDifference(mine: Record<string, string>, theirs: Record<string, string>): string[] {
  return Object.keys({ ...mine, ...theirs }).filter((k) => mine[k] !== theirs[k]);
}
