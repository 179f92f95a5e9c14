import path from 'node:path';
import { closest } from 'fastest-levenshtein';
import { checkDefinitions } from './definition-checks.js';
import { type AnyAssetDef, isAssetDef, isValidAssetName } from './definitions.js';
import { DefinitionError, PromptFileError } from './errors.js';
import { AssetGraph } from './graph.js';
import { checkDefinitionNames } from './name-checks.js';
import { importDefinitionsModule } from './module-loader.js';
import { loadPluginPackages } from './plugin-packages.js';
import { type PromptResource, promptLoader } from './prompt-loader.js';
import { isZodObject } from './rows.js';
import { type ScheduleDef, isScheduleDef } from './schedule-definition.js';

/** Where a project keeps its things. */
export interface ProjectPaths {
  /** Project root. */
  root: string;
  /** Definitions file (default `src/assets/index.ts`). */
  defsFile: string;
  /** Prompt files folder (`prompts/`). */
  promptsDir: string;
  /** Local state (`.synth/`). */
  stateDir: string;
}

/** An asset definition with its dependencies resolved to asset names. */
export interface ResolvedAsset {
  readonly def: AnyAssetDef;
  readonly name: string;
  readonly kind: AnyAssetDef['kind'];
  /** dep key → upstream asset name. */
  readonly deps: Readonly<Record<string, string>>;
  /** Upstream asset names, sorted, without duplicates. */
  readonly upstream: readonly string[];
  /** The prompt file of a dataset. */
  readonly prompt?: PromptResource;
  readonly group: string;
}

/** A loaded, checked project: its assets, graph and schedules. */
export interface Project extends ProjectPaths {
  readonly assets: ReadonlyMap<string, ResolvedAsset>;
  readonly graph: AssetGraph;
  readonly schedules: readonly ScheduleDef[];
}

/** Options of `loadProject`. */
export interface LoadProjectOptions {
  /** Project root. Default: the current directory. */
  root?: string;
  /** Definitions file, relative to the root. Default: `src/assets/index.ts`. */
  defs?: string;
}

export function projectPaths(options: LoadProjectOptions = {}): ProjectPaths {
  const root = path.resolve(options.root ?? process.cwd());
  return {
    root,
    defsFile: path.resolve(root, options.defs ?? 'src/assets/index.ts'),
    promptsDir: path.join(root, 'prompts'),
    stateDir: path.join(root, '.synth'),
  };
}

/** Collects asset and schedule definitions from a module's exports (and assets reachable through deps). */
function collect(exports: Record<string, unknown>): { assets: AnyAssetDef[]; schedules: ScheduleDef[] } {
  const assets: AnyAssetDef[] = [];
  const schedules: ScheduleDef[] = [];
  const seen = new Set<unknown>();
  const visit = (value: unknown, depth: number): void => {
    if (!value || typeof value !== 'object' || seen.has(value) || depth > 3) return;
    seen.add(value);
    if (isAssetDef(value)) {
      assets.push(value);
      for (const dep of Object.values(value.deps)) visit(dep, 0);
    } else if (isScheduleDef(value)) {
      schedules.push(value);
    } else if (Array.isArray(value)) {
      for (const v of value) visit(v, depth + 1);
    } else if (Object.getPrototypeOf(value) === Object.prototype) {
      for (const v of Object.values(value)) visit(v, depth + 1);
    }
  };
  for (const value of Object.values(exports)) visit(value, 0);
  return { assets, schedules };
}

/**
 * Loads `src/assets/index.ts` (or `--defs`), builds the graph and checks every definition
 * against its schema, prompt file and files (see definition-checks.ts) before anything runs.
 */
export async function loadProject(options: LoadProjectOptions = {}): Promise<Project> {
  const paths = projectPaths(options);
  await loadPluginPackages(paths.root);
  const exports = await importDefinitionsModule(paths.defsFile, path.join(paths.stateDir, 'cache'));
  const project = resolveProject(paths, exports);
  await checkDefinitions(project);
  return project;
}

/** Checks definitions and builds the project (also used by tests and benchmarks with in-memory definitions). */
export function resolveProject(paths: ProjectPaths, exports: Record<string, unknown>): Project {
  const { assets: defs, schedules } = collect(exports);
  const file = paths.defsFile;
  if (defs.length === 0) {
    throw new DefinitionError({
      what: `${path.relative(paths.root, file) || file} exports no assets.`,
      why: 'synth finds assets by walking the exports of the definitions file.',
      fix: "Export your assets, e.g. `export * from './ecommerce.js'` or `export const products = dataset({...})`.",
      file,
    });
  }
  const byName = new Map<string, AnyAssetDef>();
  for (const def of defs) {
    if (!isValidAssetName(def.name)) {
      throw new DefinitionError({
        what: `Invalid asset name ${JSON.stringify(def.name)}.`,
        why: 'Names start with a letter or _ and contain only letters, digits, _, - and . (at most 128 characters).',
        fix: 'Rename the asset.',
        file,
        asset: String(def.name),
      });
    }
    const other = byName.get(def.name);
    if (other && other !== def) {
      throw new DefinitionError({
        what: `Two assets are named "${def.name}" (a ${other.kind} and a ${def.kind}).`,
        why: 'Asset names identify stored results and must be unique in a project.',
        fix: `Rename one of them.`,
        file,
        asset: def.name,
      });
    }
    byName.set(def.name, def);
  }
  checkDefinitionNames(defs, schedules, file);
  const names = [...byName.keys()];
  const promptCache = new Map<string, PromptResource>();
  const assets = new Map<string, ResolvedAsset>();
  for (const def of byName.values()) {
    // Null prototype: dep keys and asset names are user-given (`__proto__`, `constructor` are ordinary keys here).
    const deps: Record<string, string> = Object.create(null);
    for (const [key, dep] of Object.entries(def.deps as Record<string, unknown>)) {
      if (typeof dep === 'string' || isAssetDef(dep)) {
        const name = typeof dep === 'string' ? dep : dep.name;
        if (!byName.has(name)) {
          throw new DefinitionError({
            what: `Asset "${def.name}" depends on an unknown asset "${name}" (deps.${key}).`,
            why: `No asset named "${name}" is defined.`,
            fix: `Did you mean "${closest(name, names)}"? Fix the name or define the asset.`,
            file,
            asset: def.name,
          });
        }
        deps[key] = name;
      } else {
        throw new DefinitionError({
          what: `Asset "${def.name}" has a dependency deps.${key} that is not an asset (${dep === undefined ? 'undefined' : typeof dep}).`,
          why: dep === undefined ? 'The imported value is undefined at definition time: usually a circular import between asset files, or a misspelt import.' : 'Deps must be assets created with dataset(), source(), validation(), model() or asset(), or asset names.',
          fix: 'Import the asset before use, or give its name as a string.',
          file,
          asset: def.name,
        });
      }
    }
    let prompt: PromptResource | undefined;
    if (def.spec.kind === 'dataset') {
      const spec = def.spec;
      if (!isZodObject(spec.schema)) {
        throw new DefinitionError({
          what: `Dataset "${def.name}" has a schema that is not a zod object.`,
          why: 'A dataset schema describes one row: it must be z.object({...}) (zod 4).',
          fix: 'Wrap the fields in z.object({ ... }).',
          file,
          asset: def.name,
        });
      }
      if (!Number.isInteger(spec.rows) || spec.rows < 0) {
        throw new DefinitionError({ what: `Dataset "${def.name}" has rows: ${spec.rows}.`, why: 'rows must be a whole number ≥ 0.', fix: 'Set rows to e.g. 500.', file, asset: def.name });
      }
      if (!Number.isInteger(spec.seed)) {
        throw new DefinitionError({ what: `Dataset "${def.name}" has seed: ${spec.seed}.`, why: 'seed must be an integer.', fix: 'Set seed to e.g. 42.', file, asset: def.name });
      }
      if (typeof spec.prompt !== 'string' || !spec.prompt) {
        throw new DefinitionError({ what: `Dataset "${def.name}" has no prompt id.`, why: 'Every dataset is generated from a prompt file prompts/<id>.yaml.', fix: "Add prompt: 'my_prompt_v1'.", file, asset: def.name });
      }
      prompt = promptCache.get(spec.prompt);
      if (!prompt) {
        try {
          prompt = promptLoader().load(paths.promptsDir, spec.prompt);
        } catch (err) {
          if (err instanceof PromptFileError) {
            throw new PromptFileError({ what: `Dataset "${def.name}": ${err.what}`, why: err.why, fix: err.fix, file: err.file, line: err.line, column: err.column, asset: def.name, cause: err });
          }
          throw err;
        }
        promptCache.set(spec.prompt, prompt);
      }
    }
    if (def.spec.kind === 'validation' && def.spec.target && !(def.spec.target in deps)) {
      throw new DefinitionError({
        what: `Validation "${def.name}" targets "${def.spec.target}", which is not one of its deps.`,
        why: 'The dataset under test must be passed in deps.',
        fix: `Add it to deps, e.g. deps: { ${def.spec.target} }.`,
        file,
        asset: def.name,
      });
    }
    const upstream = [...new Set(Object.values(deps))].sort();
    assets.set(def.name, { def, name: def.name, kind: def.kind, deps, upstream, prompt, group: def.group ?? 'default' });
  }
  const graph = AssetGraph.build(assets, file);
  const scheduleNames = new Set<string>();
  for (const s of schedules) {
    if (scheduleNames.has(s.name)) {
      throw new DefinitionError({ what: `Two schedules are named "${s.name}".`, why: 'Schedule names key their state in the catalog.', fix: 'Rename one.', file });
    }
    scheduleNames.add(s.name);
  }
  return { ...paths, assets, graph, schedules };
}
