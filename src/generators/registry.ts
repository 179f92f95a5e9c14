import { UsageError } from '../engine/errors.js';
import type { Generator, GeneratorConfig } from './generator.js';

/** A provider known to synthgraph; loaded lazily so that `status` never imports the openai SDK. */
interface ProviderEntry {
  /** Version of the provider's algorithm (part of cache keys), known without loading it. */
  version: string;
  load(): Promise<Generator>;
}

const providers: Record<string, ProviderEntry> = {
  local: { version: 'local-1', load: async () => (await import('./local/index.js')).localGenerator },
  openai: { version: 'openai-1', load: async () => (await import('./openai/index.js')).openaiGenerator },
};

/** Provider names, for messages. */
export function providerNames(): string[] {
  return Object.keys(providers);
}

function entry(provider: string, asset?: string): ProviderEntry {
  const e = providers[provider];
  if (!e) {
    throw new UsageError({
      what: `Unknown generator provider "${provider}"${asset ? ` for dataset "${asset}"` : ''}.`,
      why: `Known providers: ${providerNames().join(', ')}.`,
      fix: "Use generator: { provider: 'local' } or { provider: 'openai', model: '...' }.",
      asset,
    });
  }
  return e;
}

/** The version string of a provider, for cache keys. */
export function generatorVersion(config: GeneratorConfig, asset?: string): string {
  return entry(config.provider, asset).version;
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
