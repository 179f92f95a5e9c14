import { existsSync, readFileSync, statSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { writeFileAtomic } from './atomic-write.js';
import { locateInBundle } from './bundle-location.js';
import { DefinitionError, type SynthError } from './errors.js';
import { sha256 } from './hashing.js';

interface Manifest {
  entry: string;
  /** [absolute path, mtimeMs, size] of every file bundled. */
  inputs: [string, number, number][];
  output: string;
  /** Source map of `output` (same folder), to point errors at the user's file:line. */
  map?: string;
  /** Packages the bundle imports (left external), sorted; absent in manifests of older releases. */
  externals?: string[];
}

function isUnchanged(manifest: Manifest, entry: string, dir: string): boolean {
  // A manifest without `externals` (an older release) is rebuilt once: the status snapshot needs them.
  if (manifest.entry !== entry || !manifest.map || !manifest.externals || !existsSync(path.join(dir, manifest.output))) return false;
  for (const [file, mtime, size] of manifest.inputs) {
    try {
      const s = statSync(file);
      if (s.mtimeMs !== mtime || s.size !== size) return false;
    } catch {
      return false;
    }
  }
  return true;
}

/** The definitions bundle to import: its file, and what is needed to point an error at the user's line. */
export interface DefinitionsBundle {
  /** The definitions file it was built from. */
  entry: string;
  /** The bundle (`.synth/cache/defs/defs-<content hash>.mjs`): its name changes with its content. */
  file: string;
  /** Its source map, when there is one. */
  map?: string;
  /** Packages it imports (bare specifiers, not bundled), sorted; undefined when not recorded (an older bundle). */
  externals?: string[];
}

/**
 * Loads a TypeScript definitions file with no build step for the user: esbuild bundles the
 * file and its local imports (packages stay external, so `synthgraph` and `zod` are the
 * installed copies), the output is cached under `.synth/cache/defs/`, and reused while no
 * bundled file changed (checked by mtime and size, as DVC does), which keeps start-up fast.
 */
export async function importDefinitionsModule(entry: string, cacheDir: string): Promise<Record<string, unknown>> {
  return importDefinitionsBundle(await bundleDefinitions(entry, cacheDir));
}

/** The bundle of the definitions, built again only when a bundled file changed (see {@link importDefinitionsModule}). */
export async function bundleDefinitions(entry: string, cacheDir: string): Promise<DefinitionsBundle> {
  const reused = reusableBundle(entry, cacheDir);
  if (reused) return reused;
  const dir = path.join(cacheDir, 'defs');
  return bundleOf(entry, dir, await bundle(entry, dir, path.join(dir, 'manifest.json')));
}

/**
 * The bundle that loading the definitions would use, if no bundled file changed since it was built
 * (one `stat` per bundled file, no esbuild); undefined when it would be built again.
 */
export function reusableBundle(entry: string, cacheDir: string): DefinitionsBundle | undefined {
  const dir = path.join(cacheDir, 'defs');
  const manifest = readManifest(path.join(dir, 'manifest.json'));
  return manifest && isUnchanged(manifest, entry, dir) ? bundleOf(entry, dir, manifest) : undefined;
}

function bundleOf(entry: string, dir: string, manifest: Manifest): DefinitionsBundle {
  return { entry, file: path.join(dir, manifest.output), map: manifest.map && path.join(dir, manifest.map), externals: manifest.externals };
}

function readManifest(file: string): Manifest | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Manifest;
  } catch {
    return undefined;
  }
}

/** Imports (evaluates) a definitions bundle; an error it throws becomes a `DefinitionError` at the user's file:line. */
export async function importDefinitionsBundle(bundled: DefinitionsBundle): Promise<Record<string, unknown>> {
  const { entry, file: output } = bundled;
  try {
    return (await import(pathToFileURL(output).href)) as Record<string, unknown>;
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const where = locateInBundle(e?.stack, output, bundled.map);
    if (isUsageError(err)) {
      // A bad option caught by a DSL or check function while the definitions ran (e.g. an unknown
      // key of checks.unique()): the user's call is the place to fix.
      throw new DefinitionError({
        what: err.what,
        why: err.why,
        fix: err.fix,
        asset: err.asset,
        file: where?.file ?? err.file ?? entry,
        line: where?.line ?? err.line,
        column: where?.column ?? err.column,
        cause: err,
      });
    }
    if (e.code === 'ERR_MODULE_NOT_FOUND') {
      const pkg = /Cannot find package '([^']+)'/.exec(e.message)?.[1];
      throw new DefinitionError({
        what: `Loading ${entry} failed: a package it imports is not installed${pkg ? ` (${pkg})` : ''}.`,
        why: e.message.split('\n')[0],
        fix: pkg ? `Install it in the project: npm install ${pkg}` : 'Install the missing package with npm.',
        file: entry,
        cause: err,
      });
    }
    throw new DefinitionError({
      what: `Loading ${entry} failed: the definitions threw an error while being evaluated.`,
      why: e?.message ?? String(err),
      fix: 'Fix the error in your definitions (run with --verbose for the stack).',
      file: where?.file ?? entry,
      line: where?.line,
      column: where?.column,
      cause: err,
    });
  }
}

/**
 * esbuild, loaded so that `buildSync` runs one esbuild process and waits for it to exit. Its
 * `build` (and, with worker threads, `buildSync` too) starts a long-lived service process instead,
 * which outlives a short command: it ends after synth does, and under a container's init that
 * reaps nothing it stays behind as a zombie. esbuild reads ESBUILD_WORKER_THREADS when first
 * imported; a process that loaded it before (a test runner) keeps its service, which it owns.
 */
async function loadOneShotEsbuild(): Promise<typeof import('esbuild')> {
  const before = process.env.ESBUILD_WORKER_THREADS;
  process.env.ESBUILD_WORKER_THREADS = '0';
  try {
    return await import('esbuild');
  } finally {
    if (before === undefined) delete process.env.ESBUILD_WORKER_THREADS;
    else process.env.ESBUILD_WORKER_THREADS = before;
  }
}

async function bundle(entry: string, dir: string, manifestFile: string): Promise<Manifest> {
  if (!existsSync(entry)) {
    throw new DefinitionError({
      what: `No asset definitions at ${entry}.`,
      why: "synth loads the project's assets from src/assets/index.ts unless --defs names another file.",
      fix: 'Create src/assets/index.ts exporting your assets, pass --defs FILE, or run from (or --root) the project folder.',
      file: entry,
    });
  }
  const esbuild = await loadOneShotEsbuild();
  let result;
  try {
    result = esbuild.buildSync({
      entryPoints: [entry],
      bundle: true,
      packages: 'external',
      format: 'esm',
      platform: 'node',
      target: 'node20',
      write: false,
      metafile: true,
      // Only read when an error must point at the user's file:line (see bundle-location.ts).
      sourcemap: 'external',
      outfile: path.join(dir, 'defs.mjs'),
      logLevel: 'silent',
      absWorkingDir: path.dirname(entry),
    });
  } catch (err) {
    const first = (err as { errors?: { text: string; location?: { file: string; line: number; column: number; lineText: string } }[] }).errors?.[0];
    const loc = first?.location;
    const file = loc ? path.resolve(path.dirname(entry), loc.file) : entry;
    throw new DefinitionError({
      what: `The definitions in ${loc ? `${file}:${loc.line}` : entry} cannot be compiled.`,
      why: first ? `${first.text}${loc ? `\n    ${loc.lineText}` : ''}` : (err as Error).message,
      fix: 'Fix the TypeScript syntax at that place.',
      file,
      line: loc?.line,
      column: loc ? loc.column + 1 : undefined,
      cause: err,
    });
  } finally {
    // esbuild answers through a service process it keeps for later builds: we build once per
    // command, so stop it now rather than leave it running after synth exits.
    await esbuild.stop();
  }
  const code = result.outputFiles.find((f) => f.path.endsWith('.mjs'))!.text;
  const sourceMap = result.outputFiles.find((f) => f.path.endsWith('.map'))!.text;
  const output = `defs-${sha256(code).slice(0, 16)}.mjs`;
  const map = `${output}.map`;
  writeFileAtomic(path.join(dir, map), sourceMap);
  writeFileAtomic(path.join(dir, output), code);
  const inputs: [string, number, number][] = Object.keys(result.metafile.inputs).map((rel) => {
    const abs = path.resolve(path.dirname(entry), rel);
    const s = statSync(abs);
    return [abs, s.mtimeMs, s.size];
  });
  const imported = Object.values(result.metafile.outputs).flatMap((o) => o.imports.filter((i) => i.external && !isBuiltin(i.path)).map((i) => i.path));
  const manifest: Manifest = { entry, inputs, output, map, externals: [...new Set(imported)].sort() };
  writeFileAtomic(manifestFile, JSON.stringify(manifest));
  return manifest;
}

/** A UsageError (exit 2), also when thrown by another copy of synthgraph than the CLI's. */
function isUsageError(err: unknown): err is SynthError {
  const e = err as { what?: unknown; exitCode?: unknown } | null;
  return !!e && typeof e.what === 'string' && e.exitCode === 2;
}

/**
 * The project files bundled into the definitions (absolute paths), as recorded when they were
 * last loaded from `cacheDir`; empty when unknown. Read only to point a mistake at its line.
 */
export function bundledSourceFiles(cacheDir: string): string[] {
  try {
    const manifest = JSON.parse(readFileSync(path.join(cacheDir, 'defs', 'manifest.json'), 'utf8')) as Manifest;
    return manifest.inputs.map(([file]) => file).filter((file) => !file.split(path.sep).includes('node_modules'));
  } catch {
    return [];
  }
}
