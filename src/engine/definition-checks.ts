import path from 'node:path';
import type { DefinitionView } from './asset-kind.js';
import { assetKind, findAssetKind } from './asset-kind-registry.js';
import type { DefinitionProblem } from './definition-problem.js';
import { locateDeclaration } from './definition-locator.js';
import { DefinitionError, type ErrorLocation } from './errors.js';
import type { GeneratorDefinitionRequest } from './generator-plugin.js';
import { generatorDefinitionProblem } from './generator-registry.js';
import { bundledSourceFiles } from './module-loader.js';
import type { Project, ResolvedAsset } from './project.js';

/** What the checks of one pass share: the project and what kinds learn of assets, each learnt once. */
class PassView implements DefinitionView {
  private readonly columns = new Map<string, readonly string[] | undefined>();
  private readonly memos = new Map<string, unknown>();
  /** Generator problems by dataset settings (many datasets share a schema, a prompt and a config). */
  private readonly generatorProblems = new WeakMap<object, Map<string, Promise<DefinitionProblem | undefined>>>();
  constructor(readonly project: Project) {}

  columnsOf(name: string | undefined): readonly string[] | undefined {
    if (name === undefined) return undefined;
    if (this.columns.has(name)) return this.columns.get(name);
    const asset = this.project.assets.get(name);
    const columns = asset ? findAssetKind(asset.kind)?.columns?.(asset, this) : undefined;
    this.columns.set(name, columns);
    return columns;
  }

  emptyReference(asset: ResolvedAsset, depKey: string | undefined): DefinitionProblem | undefined {
    const name = depKey === undefined ? undefined : asset.deps[depKey];
    const reference = name === undefined ? undefined : this.project.assets.get(name);
    const empty = reference ? findAssetKind(reference.kind)?.knownEmpty?.(reference, this) : undefined;
    if (!reference || !empty) return undefined;
    return {
      what: `The reference of ${asset.kind} "${asset.name}" is ${reference.kind} "${reference.name}", ${empty.because}.`,
      why: 'Reference data with no rows would silently fit or compare nothing.',
      fix: empty.fix,
      near: /\breference\s*:/,
    };
  }

  generatorProblem(request: GeneratorDefinitionRequest): Promise<DefinitionProblem | undefined> {
    let bySettings = this.generatorProblems.get(request.schema);
    if (!bySettings) this.generatorProblems.set(request.schema, (bySettings = new Map()));
    const key = JSON.stringify([request.prompt.file, request.prompt.hash, request.config, request.referenceColumns ?? null]);
    let problem = bySettings.get(key);
    // A problem is raised on the first dataset that has it, so a reused result is always "none".
    if (!problem) bySettings.set(key, (problem = generatorDefinitionProblem(request)));
    return problem;
  }

  memo<T>(key: string, compute: () => T): T {
    if (!this.memos.has(key)) this.memos.set(key, compute());
    return this.memos.get(key) as T;
  }
}

/** The problem as an error pointing at the prompt file, or at the asset's declaration in the definitions. */
function toError(project: Project, asset: ResolvedAsset, problem: DefinitionProblem): DefinitionError {
  const { near, ...init } = problem;
  let where: ErrorLocation | undefined = init.file ? { file: init.file, line: init.line, column: init.column } : undefined;
  if (!where) where = locateDeclaration(bundledSourceFiles(path.join(project.stateDir, 'cache')), asset.name, near) ?? { file: project.defsFile };
  return new DefinitionError({ ...init, ...where, asset: init.asset ?? asset.name });
}

/**
 * Checks every definition before anything runs (on `status`, `materialize`, `graph` and
 * `--dry-run` alike), in dependency order so the first mistake reported is the most upstream.
 * Each asset's kind checks it (`AssetKind.checkDefinition`: source paths, dataset row counts,
 * prompt fields against the schema, generator options, reference globs, the columns that checks
 * and models name against the columns they will see); the engine knows no kind by name.
 * @throws DefinitionError (exit 2) with file:line and a "did you mean" where there is one.
 */
export async function checkDefinitions(project: Project): Promise<void> {
  const view = new PassView(project);
  for (const name of project.graph.order) {
    const asset = project.assets.get(name)!;
    const problem = await assetKind(asset.kind, asset.name).checkDefinition?.(asset, view);
    if (problem) throw toError(project, asset, problem);
  }
}
