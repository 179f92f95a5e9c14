import { UsageError, didYouMeanText, type DefinitionProblem, type SynthErrorInit } from '../engine/index.js';
import type { Generator, GeneratorConfig, GeneratorDefinitionCheck, GeneratorDefinitionRequest } from './generator.js';
import { LOCAL_GENERATOR_VERSION } from './local/generator-version.js';
import { OPENAI_GENERATOR_VERSION } from './openai/generator-version.js';
import { OPENAI_OPERATIONAL_OPTIONS } from './openai/operational-options.js';

/** A provider known to synthgraph; loaded lazily so that `status` never imports the openai SDK. */
interface ProviderEntry {
  /** Version of the provider's algorithm (part of cache keys), known without loading it. */
  version: string;
  /** Config keys that affect how it runs, not what it makes: left out of cache keys, and the only run-time options it is given. */
  operational: readonly string[];
  load(): Promise<Generator>;
  /** Loads the provider's definition check (options, hints): small modules, so `status` stays fast. */
  loadCheck(): Promise<GeneratorDefinitionCheck>;
}

const providers: Record<string, ProviderEntry> = {
  local: {
    version: LOCAL_GENERATOR_VERSION,
    operational: [],
    load: async () => (await import('./local/index.js')).localGenerator,
    loadCheck: async () => (await import('./local/definition-check.js')).localDefinitionProblem,
  },
  openai: {
    version: OPENAI_GENERATOR_VERSION,
    operational: OPENAI_OPERATIONAL_OPTIONS,
    load: async () => (await import('./openai/index.js')).openaiGenerator,
    loadCheck: async () => (await import('./openai/definition-check.js')).openaiDefinitionProblem,
  },
};

/** Provider names, for messages. */
export function providerNames(): string[] {
  return Object.keys(providers);
}

function unknownProvider(provider: unknown, asset?: string): SynthErrorInit {
  return {
    what: `Unknown generator provider "${String(provider)}"${asset ? ` for dataset "${asset}"` : ''}.`,
    why: `Known providers: ${providerNames().join(', ')}.`,
    fix: `${didYouMeanText(String(provider), providerNames()).trim()} Use generator: { provider: 'local' } or { provider: 'openai', model: '...' }.`.trim(),
    asset,
  };
}

function entry(provider: string, asset?: string): ProviderEntry {
  const e = Object.hasOwn(providers, provider) ? providers[provider] : undefined;
  if (!e) throw new UsageError(unknownProvider(provider, asset));
  return e;
}

/**
 * What is wrong with a dataset's generator block (unknown provider, unknown or bad options,
 * column hints the provider cannot use), checked before anything runs; undefined when nothing.
 */
export async function generatorDefinitionProblem(request: GeneratorDefinitionRequest): Promise<DefinitionProblem | undefined> {
  const provider = request.config?.provider;
  const e = typeof provider === 'string' && Object.hasOwn(providers, provider) ? providers[provider] : undefined;
  if (!e) return { ...unknownProvider(provider, request.asset), near: String(provider) };
  return (await e.loadCheck())(request);
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

/** The part of a generator config that decides the data (for cache keys): operational options and URL credentials removed. */
export function keyedGeneratorConfig(config: GeneratorConfig, asset?: string): Record<string, unknown> {
  const { operational, version } = entry(config.provider, asset);
  const keyed: Record<string, unknown> = { version };
  for (const [k, v] of Object.entries(publicGeneratorConfig(config))) if (!operational.includes(k)) keyed[k] = v;
  return keyed;
}

/** Adds run-time options (e.g. `--no-llm-cache`, `--max-cost`) that the provider understands. */
export function withRunOptions(config: GeneratorConfig, options: Record<string, unknown> | undefined): GeneratorConfig {
  const { operational } = entry(config.provider);
  const out: GeneratorConfig = { ...config };
  for (const [k, v] of Object.entries(options ?? {})) if (operational.includes(k)) out[k] = v;
  return out;
}

/** Loads a provider's implementation. */
export async function loadGenerator(config: GeneratorConfig, asset?: string): Promise<Generator> {
  return entry(config.provider, asset).load();
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
