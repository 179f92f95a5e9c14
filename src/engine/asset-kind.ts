import type { CheckRecord } from './catalog.js';
import type { AssetContext, AssetDef, AssetSpec, FileRef, StorageFormat } from './definitions.js';
import type { DefinitionProblem } from './definition-problem.js';
import type { SynthErrorInit } from './errors.js';
import type { FileHashMemo } from './file-hash-memo.js';
import type { GeneratorConfig, GeneratorDefinitionRequest } from './generator-plugin.js';
import type { Project, ProjectPaths, ResolvedAsset } from './project.js';
import type { PromptResource } from './prompt-loader.js';
import type { RowSchema } from './rows.js';

/** The seed and generator config an asset is made with: what `--seed` and `--generator` change for a run. */
export interface KindSettings {
  seed: number;
  generator: GeneratorConfig;
}

/** What a kind learns while the project is resolved (see `AssetKind.resolve`). */
export interface KindResolveContext<S extends AssetSpec = AssetSpec> {
  readonly def: AssetDef<unknown, S>;
  /** dep key → upstream asset name (null prototype: keys are user-given). */
  readonly deps: Readonly<Record<string, string>>;
  readonly paths: ProjectPaths;
  /** The prompt `id` through the registered prompt loader, read once per project however many assets name it. @throws PromptFileError */
  loadPrompt(id: string): PromptResource;
  /** A DefinitionError pointing at the definitions file and the asset: `throw ctx.problem({...})`. */
  problem(init: Omit<SynthErrorInit, 'asset' | 'file'>): Error;
}

/** What `resolve` adds to the resolved asset. */
export interface KindResolution {
  /** The prompt the asset is made from: part of its cache key, stored with each materialization. */
  prompt?: PromptResource;
}

/** What the definition checks of one pass share (see `AssetKind.checkDefinition`). */
export interface DefinitionView {
  readonly project: Project;
  /** The columns downstream assets will see from an asset (asked of its kind, once per pass), or undefined when not known before it runs. */
  columnsOf(name: string | undefined): readonly string[] | undefined;
  /** A problem when the asset under `depKey` is reference data known to be empty (e.g. a source whose globs match no file). */
  emptyReference(asset: ResolvedAsset, depKey: string | undefined): DefinitionProblem | undefined;
  /** The generator seam's check of a generator block, once per distinct schema, prompt, config and reference columns. */
  generatorProblem(request: GeneratorDefinitionRequest): Promise<DefinitionProblem | undefined>;
  /** A value computed once per pass under `key` (e.g. the header of files several assets read). */
  memo<T>(key: string, compute: () => T): T;
}

/** Settings of one materialization that the plan decided. */
export interface MaterializeSettings {
  /** The seed it runs with (`--seed` applied), or null for kinds without one. */
  seed: number | null;
  /** The generator config it runs with (`--generator` and run options applied), or null. */
  generator: GeneratorConfig | null;
  /** Project-local state folder (`.synth/`), for caches. */
  stateDir: string;
}

/** Everything a kind's `compute` gets. */
export interface KindComputeRequest<S extends AssetSpec = AssetSpec> {
  project: Project;
  asset: ResolvedAsset<S>;
  /** The upstream values by dep key (each asset gets its own copy). */
  inputs: Record<string, unknown>;
  settings: MaterializeSettings;
  ctx: AssetContext;
  /**
   * Stores bytes beside the value (e.g. image files) in the content-addressed object store and
   * returns their sha256; list the hashes in `ComputedValue.objects` so they are kept with the
   * materialization (`synth gc`, `synth verify`).
   */
  putObject(data: string | Uint8Array): string;
}

/** What computing one asset gives, before it is stored. */
export interface ComputedValue {
  value: unknown;
  /** `jsonl` for rows (counted, and exported as CSV when the kind says `csv`), `json` for anything else. */
  format: StorageFormat;
  /** Recorded with the materialization (and sent to lineage as metrics when numeric). */
  metadata: Record<string, unknown>;
  /** Check results; a failed blocking one blocks everything downstream. */
  checks?: CheckRecord[];
  /** Hashes of objects stored with `putObject` that the value refers to (recorded as the materialization's `objects`). */
  objects?: string[];
}

/**
 * How a kind's generator configs are keyed, overridden by `--generator` and given run options.
 * Default: the generator registry's (`registerGenerator`): keyed with the provider's version and
 * without its operational options. A kind whose providers live in a registry of its own (image
 * providers named like the row generators) gives its own.
 */
export interface GeneratorConfigs {
  /** The part of a config that decides the data, for the cache key. */
  keyed(config: GeneratorConfig, asset?: string): Record<string, unknown>;
  /** The config with `--generator PROVIDER[:MODEL]` applied. @throws UsageError for an unknown provider. */
  override(config: GeneratorConfig, flag: string): GeneratorConfig;
  /** The config with the run-time options (`--max-cost`, `--no-llm-cache`...) the provider understands. */
  withRunOptions(config: GeneratorConfig, options: Record<string, unknown> | undefined): GeneratorConfig;
}

/**
 * An asset kind: what the engine needs to key, check, plan and compute the assets of one kind
 * (`dataset`, `source`, ... or a plug-in's). Registered with `registerAssetKind`; the engine
 * knows kinds only through this interface. Every hook but `compute` and `codeVersion` is optional.
 */
export interface AssetKind<S extends AssetSpec = AssetSpec> {
  /** Its name: `spec.kind` of its definitions, `kind` of its catalog records, and what `kind:NAME` selects. Example: `'dataset'`. */
  readonly kind: string;
  /** Rows (`jsonl` values) are also stored as CSV (for `synth export`, lineage). Default: false. */
  readonly csv?: boolean;
  /**
   * Checks what can only be wrong in the definition itself (throw `ctx.problem(...)`) and resolves
   * what the asset is made from (its prompt), when the project loads.
   */
  resolve?(ctx: KindResolveContext<S>): KindResolution | void;
  /**
   * The code part of the cache key, when the definition declares no `codeVersion`: what defines
   * the asset's logic (a row schema, checks, a function's source). Changing it re-materializes.
   */
  codeVersion(asset: ResolvedAsset<S>): string;
  /** The declared seed and generator config, when the kind has them (`--seed`/`--generator` then apply to it). */
  settings?(asset: ResolvedAsset<S>): KindSettings | null;
  /** How its generator configs are keyed, overridden and given run options. Default: the generator registry's. */
  readonly generatorConfigs?: GeneratorConfigs;
  /** The row count it promises, keyed (`rows` reason when it changes). Default: none. */
  rows?(asset: ResolvedAsset<S>): number | null;
  /**
   * The files it observes outside the project's graph (paths or globs relative to the root, or
   * package files), when that is what it observes: the engine hashes their content on every
   * `status` (see observeSourceFiles), and a reused status snapshot can check them without loading
   * the definitions. Prefer this to `observe`. Default: none.
   */
  observedFiles?(asset: ResolvedAsset<S>): readonly FileRef[] | undefined;
  /**
   * A content hash of what it observes outside the project's graph right now, or null, for what
   * `observedFiles` cannot say. Called on every `status`; a project with such an asset is never
   * described from a snapshot.
   */
  observe?(asset: ResolvedAsset<S>, root: string, memo?: FileHashMemo): string | null;
  /** The zod schema its rows are made to, when declared (checks and lineage read it). */
  rowSchema?(asset: ResolvedAsset<S>): RowSchema | undefined;
  /** The columns downstream assets will see, when known before it runs. */
  columns?(asset: ResolvedAsset<S>, view: DefinitionView): readonly string[] | undefined;
  /** Why it is known to give no rows before it runs (`whose files (...) match no file`), with the fix; for reference checks. */
  knownEmpty?(asset: ResolvedAsset<S>, view: DefinitionView): { because: string; fix: string } | undefined;
  /** The first mistake in its definition against the project (names, columns, options), checked before anything runs. */
  checkDefinition?(asset: ResolvedAsset<S>, view: DefinitionView): DefinitionProblem | undefined | Promise<DefinitionProblem | undefined>;
  /** What a run would spend (requests, tokens, cost_usd), for `--dry-run`. */
  estimate?(request: { project: Project; asset: ResolvedAsset<S>; settings: KindSettings | null }): Promise<Record<string, number> | null>;
  /** Computes the value from the inputs. Where it runs (in process, a worker) is the executor's choice. */
  compute(request: KindComputeRequest<S>): Promise<ComputedValue>;
}
