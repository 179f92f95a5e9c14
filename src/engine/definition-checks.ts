import path from 'node:path';
import type { Check } from './check.js';
import type { DefinitionProblem } from './definition-problem.js';
import { locateDeclaration } from './definition-locator.js';
import type { SourceSpec } from './definitions.js';
import { DefinitionError, type ErrorLocation } from './errors.js';
import type { GeneratorDefinitionRequest } from './generator-plugin.js';
import { generatorDefinitionProblem } from './generator-registry.js';
import { bundledSourceFiles } from './module-loader.js';
import { didYouMeanText } from './option-issues.js';
import type { Project, ResolvedAsset } from './project.js';
import { promptLoader } from './prompt-loader.js';
import { readSourceColumns, resolveSourceFiles, sourceRefProblem } from './source-files.js';

/** What the checks of one pass share: the project and the columns of assets, each learnt once. */
class DefinitionView {
  private readonly columns = new Map<string, readonly string[] | undefined>();
  /** Columns by the list of files read (many sources may read the same files). */
  private readonly fileColumns = new Map<string, readonly string[] | undefined>();
  /** Generator problems by dataset settings (many datasets share a schema, a prompt and a config). */
  private readonly generatorProblems = new WeakMap<object, Map<string, Promise<DefinitionProblem | undefined>>>();
  constructor(readonly project: Project) {}

  /** The columns downstream assets will see from an asset (a dataset's schema, a source file's header), or undefined when not known before it runs. */
  columnsOf(name: string | undefined): readonly string[] | undefined {
    if (name === undefined) return undefined;
    if (this.columns.has(name)) return this.columns.get(name);
    const spec = this.project.assets.get(name)?.def.spec;
    let columns: readonly string[] | undefined;
    if (spec?.kind === 'dataset') columns = Object.keys(spec.schema.shape);
    else if (spec?.kind === 'source' && spec.files) {
      const files = resolveSourceFiles(this.project.root, spec.files);
      const key = files.join('\0');
      if (!this.fileColumns.has(key)) this.fileColumns.set(key, readSourceColumns(files));
      columns = this.fileColumns.get(key);
    }
    this.columns.set(name, columns);
    return columns;
  }

  /** The generator's problem with a dataset, computed once per distinct schema, prompt, config and reference columns. */
  generatorProblem(request: GeneratorDefinitionRequest): Promise<DefinitionProblem | undefined> {
    let bySettings = this.generatorProblems.get(request.schema);
    if (!bySettings) this.generatorProblems.set(request.schema, (bySettings = new Map()));
    const key = JSON.stringify([request.prompt.file, request.prompt.hash, request.config, request.referenceColumns ?? null]);
    let problem = bySettings.get(key);
    // A problem is raised on the first dataset that has it, so a reused result is always "none".
    if (!problem) bySettings.set(key, (problem = generatorDefinitionProblem(request)));
    return problem;
  }

  /** The source spec of a file source, else undefined. */
  fileSource(name: string | undefined): (SourceSpec & { files: NonNullable<SourceSpec['files']> }) | undefined {
    const spec = name === undefined ? undefined : this.project.assets.get(name)?.def.spec;
    return spec?.kind === 'source' && spec.files ? (spec as SourceSpec & { files: NonNullable<SourceSpec['files']> }) : undefined;
  }
}

/** A source given as reference data whose globs match no file: a fit or comparison would silently see nothing. */
function emptyReference(view: DefinitionView, asset: ResolvedAsset, key: string | undefined): DefinitionProblem | undefined {
  const source = key === undefined ? undefined : asset.deps[key];
  const spec = view.fileSource(source);
  if (!spec || resolveSourceFiles(view.project.root, spec.files).length > 0) return undefined;
  const refs = spec.files.map((f) => (typeof f === 'string' ? f : `${f.package}:${f.path}`)).join(', ');
  return {
    what: `The reference of ${asset.kind} "${asset.name}" is source "${source}", whose files (${refs}) match no file.`,
    why: 'Reference data with no rows would silently fit or compare nothing.',
    fix: `Fix the path or glob of source "${source}", or add the files it should match.`,
    near: /\breference\s*:/,
  };
}

function sourceProblem(view: DefinitionView, asset: ResolvedAsset): DefinitionProblem | undefined {
  const spec = view.fileSource(asset.name);
  for (const ref of spec?.files ?? []) {
    const problem = sourceRefProblem(view.project.root, ref);
    if (problem) return { ...problem, what: `Source "${asset.name}": ${problem.what}`, near: typeof ref === 'string' ? ref : ref.path };
  }
  return undefined;
}

async function datasetProblem(view: DefinitionView, asset: ResolvedAsset): Promise<DefinitionProblem | undefined> {
  const spec = asset.def.spec;
  if (spec.kind !== 'dataset') return undefined;
  if (spec.rows === 0 && !spec.allowEmpty) {
    return {
      what: `Dataset "${asset.name}" has rows: 0.`,
      why: 'An empty dataset would feed nothing to everything downstream; it is nearly always a mistake.',
      fix: 'Set rows to the number of rows wanted (e.g. rows: 500), or add allowEmpty: true if an empty dataset is intended.',
      near: /\brows\s*:\s*0\b/,
    };
  }
  const fields = Object.keys(spec.schema.shape);
  const prompt = asset.prompt!;
  return (
    promptLoader().fieldProblem?.(prompt, fields, asset.name) ??
    emptyReference(view, asset, spec.reference) ??
    (await view.generatorProblem({ asset: asset.name, schema: spec.schema, prompt, config: spec.generator, referenceColumns: view.columnsOf(spec.reference && asset.deps[spec.reference]) }))
  );
}

function validationProblem(view: DefinitionView, asset: ResolvedAsset): DefinitionProblem | undefined {
  const spec = asset.def.spec;
  if (spec.kind !== 'validation') return undefined;
  if (spec.reference !== undefined && !(spec.reference in asset.deps)) {
    return {
      what: `Validation "${asset.name}" names reference "${spec.reference}", which is not one of its deps.`,
      why: 'The reference data must be passed in deps.',
      fix: `${didYouMeanText(spec.reference, Object.keys(asset.deps)).trim()} Add it to deps, e.g. deps: { ${spec.reference} }.`.trim(),
      near: spec.reference,
    };
  }
  const empty = emptyReference(view, asset, spec.reference);
  if (empty) return empty;
  const ctx = {
    asset: asset.name,
    targetColumns: view.columnsOf(asset.deps[spec.target]),
    referenceColumns: view.columnsOf(spec.reference === undefined ? undefined : asset.deps[spec.reference]),
    hasReference: spec.reference !== undefined,
  };
  for (const check of spec.checks as readonly Check[]) {
    const problem = check.checkDefinition?.(ctx);
    if (problem) return problem;
  }
  return undefined;
}

function modelProblem(view: DefinitionView, asset: ResolvedAsset): DefinitionProblem | undefined {
  const spec = asset.def.spec;
  if (spec.kind !== 'model' || !spec.columns) return undefined;
  const { input, target, features } = spec.columns;
  const keys = Object.keys(asset.deps);
  if (!keys.includes(input)) {
    return {
      what: `Model "${asset.name}" reads columns from input "${input}", which is not one of its deps.`,
      why: `Its deps are: ${keys.join(', ') || 'none'}.`,
      fix: `${didYouMeanText(input, keys).trim()} Set columns.input to a dep key.`.trim(),
      near: input,
    };
  }
  const columns = view.columnsOf(asset.deps[input]);
  if (!columns) return undefined;
  for (const [option, column] of [...(target === undefined ? [] : [['target', target] as const]), ...(features ?? []).map((f) => ['features', f] as const)]) {
    if (columns.includes(column)) continue;
    return {
      what: `Model "${asset.name}": columns.${option} names "${column}", which is not a column of its input "${input}" (${asset.deps[input]}).`,
      why: `The columns of "${asset.deps[input]}" are: ${columns.join(', ')}.`,
      fix: `${didYouMeanText(column, columns).trim()} Fix columns.${option} (and the trainer's options, which read the same).`.trim(),
      near: column,
    };
  }
  return undefined;
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
 * `--dry-run` alike), in dependency order so the first mistake reported is the most upstream:
 * source paths, dataset row counts, prompt fields against the schema, generator options and
 * hints (by the provider), reference globs, the columns that checks and models name against
 * the columns they will see. Plug-ins contribute through `Check.checkDefinition` and the
 * generator registry; the engine does not know them by name.
 * @throws DefinitionError (exit 2) with file:line and a "did you mean" where there is one.
 */
export async function checkDefinitions(project: Project): Promise<void> {
  const view = new DefinitionView(project);
  for (const name of project.graph.order) {
    const asset = project.assets.get(name)!;
    const problem = sourceProblem(view, asset) ?? (await datasetProblem(view, asset)) ?? validationProblem(view, asset) ?? modelProblem(view, asset);
    if (problem) throw toError(project, asset, problem);
  }
}
