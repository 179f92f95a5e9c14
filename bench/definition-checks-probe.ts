/**
 * Run by definition-checks.bench.ts in fresh processes: loads a project's definitions and times
 * the definition check pass alone, first call (cold: loads the generator checks and faker's base
 * locale) then warm. Prints `{ cold_ms, warm_ms }`.
 */
import path from 'node:path';
import '../src/builtin-plugins.js';
import { checkDefinitions } from '../src/engine/definition-checks.js';
import { importDefinitionsModule } from '../src/engine/module-loader.js';
import { projectPaths, resolveProject } from '../src/engine/project.js';

const paths = projectPaths({ root: process.argv[2] });
const project = resolveProject(paths, await importDefinitionsModule(paths.defsFile, path.join(paths.stateDir, 'cache')));
const time = async (): Promise<number> => {
  const t = process.hrtime.bigint();
  await checkDefinitions(project);
  return Number(process.hrtime.bigint() - t) / 1e6;
};
const cold = await time();
const warm = await time();
process.stdout.write(JSON.stringify({ cold_ms: cold, warm_ms: warm }));
