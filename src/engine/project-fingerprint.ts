import { readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EnvReads } from './env-reads.js';
import { sha256 } from './hashing.js';
import { reusableBundle } from './module-loader.js';
import { packageRoot } from './package-info.js';
import { fileIdentity } from './file-identity.js';
import { PROJECT_CONFIG_FILE, type ProjectPaths } from './project-paths.js';

/**
 * A fingerprint of everything that loading a project's definitions depends on, computed without
 * loading them (a few `stat`s and directory listings): the definitions bundle (its name is the hash
 * of its content, and it is reused only while no bundled file changed), the packages it imports
 * (their package.json; a package linked from elsewhere makes it unknown), synthgraph's own code, the prompt files, `synth.config.json` and its
 * plug-ins, and what the definitions looked at while loading: the values of the environment
 * variables they read, and the files they read, listed or checked (`readFileSync('config.json')`).
 * Two loads with the same fingerprint describe the same project, unless the definitions depend on
 * something else (the clock, the network): see the status snapshot, which notices
 * such definitions and stops trusting the fingerprint for them.
 * Undefined when it cannot be known without loading (definitions changed since their last bundle,
 * an environment read whole).
 */
export function projectFingerprint(paths: ProjectPaths, env: EnvReads, files: readonly string[]): string | undefined {
  if (env.all) return undefined;
  const bundle = reusableBundle(paths.defsFile, path.join(paths.stateDir, 'cache'));
  if (!bundle?.externals) return undefined;
  const parts: string[] = [`bundle ${path.basename(bundle.file)}`, `code ${ownCode()}`];
  for (const pkg of bundle.externals) {
    const installed = packageIdentity(pkg, path.dirname(paths.defsFile));
    if (installed === undefined) return undefined;
    parts.push(`package ${pkg} ${installed}`);
  }
  for (const name of listing(paths.promptsDir)) parts.push(`prompt ${name} ${fileIdentity(path.join(paths.promptsDir, name))}`);
  const config = path.join(paths.root, PROJECT_CONFIG_FILE);
  parts.push(`config ${fileIdentity(config)}`);
  for (const plugin of configuredPlugins(config)) parts.push(`plugin ${plugin} ${fileIdentity(pluginFile(plugin, paths.root))}`);
  for (const file of files) parts.push(`read ${file} ${fileIdentity(file)}`);
  for (const name of env.names) parts.push(`env ${name} ${Object.hasOwn(process.env, name) ? sha256(process.env[name] ?? '') : '-'}`);
  return sha256(parts.join('\n'));
}

function listing(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
}

/**
 * synthgraph's own code: the names of the files beside this module. Built, they are content-hashed
 * chunks (`chunk-XXXXXXXX.js`), so a new build or version changes the list; run from source (tests),
 * the package version stands for it.
 */
function ownCode(): string {
  const dir = path.dirname(fileURLToPath(import.meta.url));
  const names = listing(dir).filter((n) => n.endsWith('.js'));
  const version = fileIdentity(path.join(dir, '..', 'package.json'));
  return sha256(`${version}\n${names.join('\n')}`);
}

/**
 * What stands for a package's code: its package.json's identity, which an install or upgrade
 * rewrites; this synthgraph's own code when it is the copy running. Undefined for a package linked
 * from outside node_modules (a workspace, `npm link`): its sources change without its package.json.
 */
function packageIdentity(specifier: string, dir: string): string | undefined {
  const file = packageJsonOf(specifier, dir);
  if (!file) return '-';
  const real = realpathSync(path.dirname(file));
  if (real === packageRoot()) return 'this synthgraph';
  return real.split(path.sep).includes('node_modules') ? fileIdentity(file) : undefined;
}

/** The package.json a bare import resolves to from `dir` (Node's node_modules walk), or undefined. */
function packageJsonOf(specifier: string, dir: string): string | undefined {
  const parts = specifier.split('/');
  const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
  for (let d = dir; ; d = path.dirname(d)) {
    const file = path.join(d, 'node_modules', name, 'package.json');
    if (statSync(file, { throwIfNoEntry: false })) return file;
    if (path.dirname(d) === d) return undefined;
  }
}

/** The `plugins` of synth.config.json, read without checking the rest (loading the project checks it). */
function configuredPlugins(config: string): string[] {
  try {
    const plugins = (JSON.parse(readFileSync(config, 'utf8')) as { plugins?: unknown }).plugins;
    return Array.isArray(plugins) ? plugins.filter((p): p is string => typeof p === 'string') : [];
  } catch {
    return [];
  }
}

function pluginFile(spec: string, root: string): string | undefined {
  return spec.startsWith('.') ? path.resolve(root, spec) : packageJsonOf(spec, root);
}
