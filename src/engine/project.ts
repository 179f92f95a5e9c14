import path from 'node:path';
import { closest } from 'fastest-levenshtein';
import { checkDefinitions } from './definition-checks.js';
import { assetKindNames, findAssetKind } from './asset-kind-registry.js';
import { type AnyAssetDef, type AssetDef, type AssetSpec, isAssetDef, isValidAssetName } from './definitions.js';
import { DefinitionError, PromptFileError } from './errors.js';
import { AssetGraph } from './graph.js';
import { checkDefinitionNames } from './name-checks.js';
import { type EnvReads, recordEnvReads } from './env-reads.js';
import { recordFileReads } from './file-reads.js';
import { recordVolatileReads } from './volatile-reads.js';
import { packageRoot } from './package-info.js';
import { type LoadProjectOptions, type ProjectPaths, projectPaths } from './project-paths.js';
import { bundleDefinitions, importDefinitionsBundle } from './module-loader.js';
import { loadPluginPackages } from './plugin-packages.js';
import { type PromptResource, promptLoader } from './prompt-loader.js';
import { didYouMeanText } from './option-issues.js';
import { type ScheduleDef, isScheduleDef } from './schedule-definition.js';

export { type LoadProjectOptions, type ProjectPaths, projectPaths } from './project-paths.js';

/** An asset definition with its dependencies resolved to asset names; `S` is its kind's spec. */
export interface ResolvedAsset<S extends AssetSpec = AssetSpec> {
  readonly def: AssetDef<unknown, S>;
  readonly name: string;
  /** Its kind's name. */
  readonly kind: string;
  /** dep key → upstream asset name. */
  readonly deps: Readonly<Record<string, string>>;
  /** Upstream asset names, sorted, without duplicates. */
  readonly upstream: readonly string[];
  /** The prompt it is made from (a dataset's prompt file), as its kind resolved it. */
  readonly prompt?: PromptResource;
  readonly group: string;
}

/** A loaded, checked project: its assets, graph and schedules. */
export interface Project extends ProjectPaths {
  readonly assets: ReadonlyMap<string, ResolvedAsset>;
  readonly graph: AssetGraph;
  readonly schedules: readonly ScheduleDef[];
  /**
   * What loading the definitions depended on beyond their imports: the bundle evaluated, the
   * environment variables read, the files looked at meanwhile (see project-fingerprint.ts), and
   * whether they read something that changes by itself (the clock, another program, the network). Absent for projects
   * resolved from in-memory definitions.
   */
  readonly loaded?: {
    bundle: string;
    env: EnvReads;
    /** Files looked at while loading (outside node_modules and `.synth/`), absolute, sorted. */
    files: string[];
    /** True when the definitions read the clock, a random source, another program or the network while loading (see recordVolatileReads). */
    volatile: boolean;
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
  const bundle = await bundleDefinitions(paths.defsFile, path.join(paths.stateDir, 'cache'));
  // What the definitions read while they load (environment variables, files of their own) is
  // recorded for the status snapshot (see project-fingerprint.ts). Bundling stays outside: esbuild
  // reads its own settings from the environment.
  const {
    value: {
      value: { value: project, read: volatile },
      files,
    },
    reads,
  } = await recordEnvReads(() =>
    recordFileReads(
      () =>
        recordVolatileReads(async () => {
          const resolved = resolveProject(paths, await importDefinitionsBundle(bundle));
          await checkDefinitions(resolved);
          return resolved;
        }),
      // synthgraph's own modules, loaded meanwhile, are its code: the fingerprint has them already.
      [paths.stateDir, path.join(packageRoot(), 'dist')],
    ),
  );
  return { ...project, loaded: { bundle: bundle.file, env: reads, files, volatile } };
}

/** Checks definitions and builds the project (also used by tests and benchmarks with in-memory definitions). */
export function resolveProject(paths: ProjectPaths, exports: Record<string, unknown>): Project {
  const { assets: defs, schedules } = collect(exports);
  const file = paths.defsFile;
  const byName = definitionsByName(defs, paths);
  checkDefinitionNames(defs, schedules, file);
  const prompts = new PromptCache(paths.promptsDir);
  const assets = new Map<string, ResolvedAsset>();
  for (const def of byName.values()) assets.set(def.name, resolveAsset(def, byName, paths, prompts));
  const graph = AssetGraph.build(assets, file);
  checkScheduleNames(schedules, file);
  return { ...paths, assets, graph, schedules };
}

/** The definitions by name. @throws DefinitionError when there are none, a name is invalid or two assets share one. */
function definitionsByName(defs: readonly AnyAssetDef[], paths: ProjectPaths): Map<string, AnyAssetDef> {
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
  return byName;
}

/** Prompts read once per project, however many assets name them. */
class PromptCache {
  private readonly prompts = new Map<string, PromptResource>();
  constructor(private readonly promptsDir: string) {}

  /** The prompt `id`; a prompt-file error is said to be the asset's (`Dataset "products": ...`). */
  load(id: string, def: AnyAssetDef): PromptResource {
    let prompt = this.prompts.get(id);
    if (prompt) return prompt;
    try {
      prompt = promptLoader().load(this.promptsDir, id);
    } catch (err) {
      if (err instanceof PromptFileError) {
        const label = def.kind.charAt(0).toUpperCase() + def.kind.slice(1);
        throw new PromptFileError({
          what: `${label} "${def.name}": ${err.what}`,
          why: err.why,
          fix: err.fix,
          file: err.file,
          line: err.line,
          column: err.column,
          asset: def.name,
          cause: err,
        });
      }
      throw err;
    }
    this.prompts.set(id, prompt);
    return prompt;
  }
}

/** One definition with its deps resolved to names and what its kind resolves (its prompt). */
function resolveAsset(def: AnyAssetDef, byName: ReadonlyMap<string, AnyAssetDef>, paths: ProjectPaths, prompts: PromptCache): ResolvedAsset {
  const file = paths.defsFile;
  const deps = resolveDeps(def, byName, file);
  const kind = findAssetKind(def.kind);
  if (!kind || def.spec?.kind !== def.kind) {
    const names = assetKindNames();
    throw new DefinitionError({
      what: `Asset "${def.name}" is of an unknown kind "${String(def.spec?.kind ?? def.kind)}".`,
      why: `Known kinds: ${names.join(', ') || 'none'}.`,
      fix: `${didYouMeanText(String(def.kind), names).trim()} List the plug-in package that provides the kind under "plugins" in synth.config.json.`.trim(),
      file,
      asset: def.name,
    });
  }
  const resolution =
    kind.resolve?.({
      def,
      deps,
      paths,
      loadPrompt: (id) => prompts.load(id, def),
      problem: (init) => new DefinitionError({ ...init, file, asset: def.name }),
    }) ?? {};
  const names = Object.values(deps);
  const upstream = names.length < 2 ? names : [...new Set(names)].sort();
  return { def, name: def.name, kind: def.kind, deps, upstream, prompt: resolution.prompt, group: def.group ?? 'default' };
}

/** dep key → upstream asset name. @throws DefinitionError for a dep that is no asset of the project. */
function resolveDeps(def: AnyAssetDef, byName: ReadonlyMap<string, AnyAssetDef>, file: string): Record<string, string> {
  // Null prototype: dep keys and asset names are user-given (`__proto__`, `constructor` are ordinary keys here).
  const deps: Record<string, string> = Object.create(null);
  for (const [key, dep] of Object.entries(def.deps as Record<string, unknown>)) {
    if (typeof dep === 'string' || isAssetDef(dep)) {
      const name = typeof dep === 'string' ? dep : dep.name;
      if (!byName.has(name)) {
        throw new DefinitionError({
          what: `Asset "${def.name}" depends on an unknown asset "${name}" (deps.${key}).`,
          why: `No asset named "${name}" is defined.`,
          fix: `Did you mean "${closest(name, [...byName.keys()])}"? Fix the name or define the asset.`,
          file,
          asset: def.name,
        });
      }
      deps[key] = name;
    } else {
      throw new DefinitionError({
        what: `Asset "${def.name}" has a dependency deps.${key} that is not an asset (${dep === undefined ? 'undefined' : typeof dep}).`,
        why:
          dep === undefined
            ? 'The imported value is undefined at definition time: usually a circular import between asset files, or a misspelt import.'
            : 'Deps must be assets created with dataset(), source(), validation(), model() or asset(), or asset names.',
        fix: 'Import the asset before use, or give its name as a string.',
        file,
        asset: def.name,
      });
    }
  }
  return deps;
}

/** @throws DefinitionError when two schedules share a name. */
function checkScheduleNames(schedules: readonly ScheduleDef[], file: string): void {
  const scheduleNames = new Set<string>();
  for (const s of schedules) {
    if (scheduleNames.has(s.name)) {
      throw new DefinitionError({ what: `Two schedules are named "${s.name}".`, why: 'Schedule names key their state in the catalog.', fix: 'Rename one.', file });
    }
    scheduleNames.add(s.name);
  }
}
