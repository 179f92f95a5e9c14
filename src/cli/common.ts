import { closest } from 'fastest-levenshtein';
import { Catalog, UsageError, loadProject, type Project } from '../engine/index.js';
import type { CommonOptions } from './common-options.js';
import { makeOutput, type Output } from './output.js';

export { type CommonOptions, withCommonOptions } from './common-options.js';

/** A loaded project with its catalog, for commands. */
export interface Session {
  project: Project;
  catalog: Catalog;
  output: Output;
}

/** The project and the output, without reading the catalog (for commands that read it themselves, under a lock). */
export async function openProject(options: CommonOptions): Promise<Omit<Session, 'catalog'>> {
  // The built-in kinds and generators, for commands that did not need them before the project (status).
  await import('../builtin-plugins.js');
  return { project: await loadProject({ root: options.root, defs: options.defs }), output: makeOutput(options) };
}

export async function openSession(options: CommonOptions): Promise<Session> {
  const { project, output } = await openProject(options);
  const catalog = new Catalog(project.stateDir);
  await catalog.load();
  return { project, catalog, output };
}

/** Checks that an asset exists, suggesting the closest name otherwise. */
export function requireAsset(project: Project, name: string): void {
  if (project.assets.has(name)) return;
  const guess = closest(name, [...project.assets.keys()]);
  throw new UsageError({
    what: `Unknown asset "${name}".`,
    why: 'The project has no asset with that name.',
    fix: guess ? `Did you mean "${guess}"? Run \`synth status\` to list assets.` : 'Run `synth status` to list assets.',
  });
}

/** Parses an integer flag, or throws a usage error naming the flag. */
export function intFlag(value: string | undefined, flag: string, min = 0): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) {
    throw new UsageError({ what: `${flag} must be a whole number ≥ ${min}, got "${value}".`, fix: `Example: ${flag} ${Math.max(min, 4)}` });
  }
  return n;
}
