import { UsageError } from './errors.js';

/**
 * Adds a plug-in to its registry under a name, once: registering the same object again does
 * nothing, and another object under a taken name is refused, since it would silently replace
 * the first. Shared by the generator and asset-kind registries.
 * @param noun what the name names in messages, e.g. `asset kind` or `generator provider`.
 */
export function registerOnce<T>(registry: Map<string, T>, name: string, item: T, noun: string): void {
  const existing = registry.get(name);
  if (existing === item) return;
  if (existing !== undefined) {
    throw new UsageError({
      what: `Two ${noun}s are registered as "${name}".`,
      why: `A ${noun} name picks one implementation; a second registration would silently replace the first.`,
      fix: `Remove one of the plug-ins from \`plugins\` in synth.config.json, or rename its ${noun}.`,
    });
  }
  registry.set(name, item);
}
