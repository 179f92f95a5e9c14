import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { UsageError } from './errors.js';
import type { AssetKind } from './asset-kind.js';
import { registerAssetKind } from './asset-kind-registry.js';
import type { GeneratorPlugin } from './generator-plugin.js';
import { registerGenerator } from './generator-registry.js';
import { PROJECT_CONFIG_FILE, loadProjectConfig } from './project-config.js';

/** Plug-in modules already registered, by resolved file: a long-running process (daemon, UI) loads each once. */
const loaded = new Set<string>();

function pluginError(spec: string, root: string, why: string, fix: string): UsageError {
  return new UsageError({ what: `Plug-in "${spec}" (listed in ${PROJECT_CONFIG_FILE}) cannot be used.`, why, fix, file: path.join(root, PROJECT_CONFIG_FILE) });
}

/** A list a plug-in module exports under `name` (or its default export's), or undefined. */
function exportedList(exports: Record<string, unknown>, name: string): unknown {
  return exports[name] ?? (exports.default as Record<string, unknown> | undefined)?.[name];
}

const PLUGIN_FIX =
  "Export `generators: [{ provider: 'name', version: '1.0.0', load: async () => generator }]` and/or `kinds: [{ kind: 'name', codeVersion, compute }]` from the package's entry module.";

/** The generators a plug-in module exports, checked for the fields the engine relies on. */
function generatorsOf(spec: string, root: string, list: unknown): GeneratorPlugin[] {
  if (list === undefined) return [];
  if (!Array.isArray(list)) throw pluginError(spec, root, 'Its `generators` export is not a list.', PLUGIN_FIX);
  for (const g of list as Partial<GeneratorPlugin>[]) {
    const ok = g && typeof g.provider === 'string' && /^[A-Za-z][A-Za-z0-9_-]{0,63}$/.test(g.provider) && typeof g.version === 'string' && typeof g.load === 'function';
    if (!ok) throw pluginError(spec, root, `A generator it exports lacks a valid provider name (letters, digits, _ and -), a version string or a load() function.`, PLUGIN_FIX);
  }
  return list as GeneratorPlugin[];
}

/** The asset kinds a plug-in module exports, checked for the hooks the engine always calls. */
function kindsOf(spec: string, root: string, list: unknown): AssetKind[] {
  if (list === undefined) return [];
  if (!Array.isArray(list)) throw pluginError(spec, root, 'Its `kinds` export is not a list.', PLUGIN_FIX);
  for (const k of list as Partial<AssetKind>[]) {
    const ok = k && typeof k.kind === 'string' && typeof k.codeVersion === 'function' && typeof k.compute === 'function';
    if (!ok) throw pluginError(spec, root, 'An asset kind it exports lacks a kind name, a codeVersion() or a compute() function.', PLUGIN_FIX);
  }
  return list as AssetKind[];
}

/**
 * Imports the plug-in packages listed under `plugins` in the project's synth.config.json and
 * registers what they provide (`generators`, `kinds`). Packages resolve from the project root, like its own imports.
 * @throws UsageError (exit 2) for a plug-in that is not installed or exports neither generators nor kinds.
 */
export async function loadPluginPackages(root: string): Promise<void> {
  const specs = loadProjectConfig(root).plugins ?? [];
  if (specs.length === 0) return;
  const require = createRequire(path.join(root, 'package.json'));
  for (const spec of specs) {
    let file: string;
    try {
      file = spec.startsWith('.') ? path.resolve(root, spec) : require.resolve(spec);
    } catch {
      throw pluginError(spec, root, `The package is not installed in ${root}.`, `Install it (npm install ${spec}), or remove it from "plugins".`);
    }
    if (loaded.has(file)) continue;
    let exports: Record<string, unknown>;
    try {
      exports = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    } catch (err) {
      throw pluginError(spec, root, `Importing ${file} failed: ${(err as Error).message}`, 'Fix the package, or remove it from "plugins".');
    }
    const generatorList = exportedList(exports, 'generators');
    const kindList = exportedList(exports, 'kinds');
    if (generatorList === undefined && kindList === undefined) throw pluginError(spec, root, 'Its module exports no `generators` or `kinds` list.', PLUGIN_FIX);
    for (const generator of generatorsOf(spec, root, generatorList)) registerGenerator(generator);
    for (const kind of kindsOf(spec, root, kindList)) registerAssetKind(kind);
    loaded.add(file);
  }
}
