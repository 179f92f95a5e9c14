import type { DefinitionProblem } from './definition-problem.js';
import { UsageError, type SynthErrorInit } from './errors.js';
import type { Generator, GeneratorConfig, GeneratorDefinitionRequest, GeneratorPlugin } from './generator-plugin.js';
import { didYouMeanText } from './option-issues.js';
import type { PromptResource } from './prompt-loader.js';
import { registerOnce } from './register-once.js';

/**
 * Registered generators by provider name. A Map: provider names come from users' definitions and
 * plug-in packages, and never reach an object's prototype.
 */
const plugins = new Map<string, GeneratorPlugin>();
/**
 * Wrappers every loaded generator goes through, in registration order (e.g. the noise room's,
 * which adds a prompt's declared imperfections to whatever any provider made).
 */
const wrappers: ((generator: Generator) => Generator)[] = [];

/**
 * Wraps every generator `loadGenerator` returns, built-in or plug-in: for behaviour that belongs
 * to every provider (a wrapper must keep the result unchanged when it has nothing to do, or it
 * changes every cache). Registering the same function twice is a no-op.
 */
export function registerGeneratorWrapper(wrap: (generator: Generator) => Generator): void {
  if (!wrappers.includes(wrap)) wrappers.push(wrap);
}

/** Provider of datasets that name none (the built-in registration makes it the embedded local generator). */
let defaultProvider: string | undefined;

/**
 * Makes a generator available to datasets as `generator: { provider: plugin.provider }`. Built-in
 * providers register from their own room; a project adds more through `plugins` in synth.config.json.
 * @throws UsageError when another generator already has the name.
 */
export function registerGenerator<P extends PromptResource>(plugin: GeneratorPlugin<P>): void {
  registerOnce(plugins, plugin.provider, plugin as unknown as GeneratorPlugin, 'generator provider');
}

/**
 * Sets the provider of datasets that declare no generator. A name, not a registration: `dataset()`
 * needs only the name, so the definitions never load a generator's registration.
 */
export function setDefaultGenerator(provider: string): void {
  defaultProvider = provider;
}

/** The generator config of a dataset that declares none. @throws UsageError when no default generator is registered. */
export function defaultGeneratorConfig(): { provider: string } {
  if (defaultProvider === undefined) {
    throw new UsageError({
      what: 'A dataset declares no generator and no default generator is registered.',
      why: "The engine knows no generator itself; the built-in ones register when synthgraph's entry point is imported.",
      fix: "Import 'synthgraph' before declaring datasets, or give the dataset a generator: { provider: '...' }.",
    });
  }
  return { provider: defaultProvider };
}

/** Provider names, for messages. */
export function providerNames(): string[] {
  return [...plugins.keys()];
}

function unknownProvider(provider: unknown, asset?: string): SynthErrorInit {
  const names = providerNames();
  return {
    what: `Unknown generator provider "${String(provider)}"${asset ? ` for dataset "${asset}"` : ''}.`,
    why: `Known providers: ${names.join(', ') || 'none'}.`,
    fix: `${didYouMeanText(String(provider), names).trim()} Use a known provider, or list the plug-in package that provides it under "plugins" in synth.config.json.`.trim(),
    asset,
  };
}

function entry(provider: string, asset?: string): GeneratorPlugin {
  const e = plugins.get(provider);
  if (!e) throw new UsageError(unknownProvider(provider, asset));
  return e;
}

/**
 * What is wrong with a dataset's generator block (unknown provider, unknown or bad options,
 * column hints the provider cannot use), checked before anything runs; undefined when nothing.
 */
export async function generatorDefinitionProblem(request: GeneratorDefinitionRequest): Promise<DefinitionProblem | undefined> {
  const provider = request.config?.provider;
  const e = typeof provider === 'string' ? plugins.get(provider) : undefined;
  if (!e) return { ...unknownProvider(provider, request.asset), near: String(provider) };
  return e.loadCheck ? (await e.loadCheck())(request) : undefined;
}

/** A URL string with its `user:password@` part removed; other values unchanged. */
function withoutCredentials(value: unknown): unknown {
  if (typeof value !== 'string' || !value.includes('@') || !/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return value;
  try {
    const url = new URL(value);
    if (!url.username && !url.password) return value;
    url.username = '';
    url.password = '';
    return url.toString();
  } catch {
    return value;
  }
}

/**
 * A generator config as it may be written to disk (catalog, lineage): credentials in URLs
 * (`http://user:secret@host/v1`) removed. Keys come from the environment and are never in it.
 */
export function publicGeneratorConfig(config: GeneratorConfig): GeneratorConfig {
  const out: GeneratorConfig = { provider: config.provider };
  for (const [k, v] of Object.entries(config)) out[k] = withoutCredentials(v);
  return out;
}

/** The part of a generator config that decides the data (for cache keys): the provider's version, without operational options and URL credentials. */
export function keyedGeneratorConfig(config: GeneratorConfig, asset?: string): Record<string, unknown> {
  const { operational = [], version } = entry(config.provider, asset);
  const keyed: Record<string, unknown> = { version };
  for (const [k, v] of Object.entries(publicGeneratorConfig(config))) if (!operational.includes(k)) keyed[k] = v;
  return keyed;
}

/** Adds run-time options (e.g. `--no-llm-cache`, `--max-cost`) that the provider understands. */
export function withRunOptions(config: GeneratorConfig, options: Record<string, unknown> | undefined): GeneratorConfig {
  const { operational = [] } = entry(config.provider);
  const out: GeneratorConfig = { ...config };
  for (const [k, v] of Object.entries(options ?? {})) if (operational.includes(k)) out[k] = v;
  return out;
}

/** Loads a provider's implementation. */
export async function loadGenerator(config: GeneratorConfig, asset?: string): Promise<Generator> {
  let generator = await entry(config.provider, asset).load();
  for (const wrap of wrappers) generator = wrap(generator);
  return generator;
}

/**
 * Parses `--generator PROVIDER[:MODEL]` and applies it to a dataset's config: the same provider
 * keeps its other options, another provider starts from its defaults.
 */
export function overrideGenerator(config: GeneratorConfig, flag: string): GeneratorConfig {
  const i = flag.indexOf(':');
  const provider = i < 0 ? flag : flag.slice(0, i);
  const modelName = i < 0 ? undefined : flag.slice(i + 1);
  entry(provider);
  const next: GeneratorConfig = provider === config.provider ? { ...config } : { provider };
  if (modelName) next.model = modelName;
  return next;
}
