import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { checkOutputPath, OutputPathError, readSourceRows, UsageError, writeUserFile } from '../engine/index.js';
import { inferColumns, type InferredColumn } from './infer-schema.js';
import { defaultTemplate, fromDataTemplate, TSCONFIG } from './templates.js';

/** Options of {@link scaffoldProject}. */
export interface ScaffoldOptions {
  /** Project folder; created when missing. */
  dir: string;
  /** A CSV, JSONL or JSON (array of records) file to fit a first synthetic copy to. */
  from?: string;
  /** Base name of the assets (default: the data file's name, else `customers`). */
  name?: string;
  /** synthgraph's version, for a new package.json's dependency. */
  version: string;
}

/** What `synth init` did, in the order a user reads it. */
export interface ScaffoldResult {
  root: string;
  /** Files created, relative to the root. */
  created: string[];
  /** Existing files that got entries added (package.json, .gitignore). */
  updated: string[];
  /** Asset names declared. */
  assets: string[];
  /** For `--from`: the data file as the source reads it (relative to the root), its rows and inferred columns. */
  data?: { file: string; rows: number; columns: InferredColumn[] };
  /** The next commands to run, from the project folder. */
  next: string[];
}

const GITIGNORE_LINES = ['.synth/', 'node_modules/'];

/** A base name for assets: lower case letters, digits and `_`, starting with a letter. */
export function assetBaseName(raw: string): string {
  const name = raw
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return /^[a-z]/.test(name) ? name : `data_${name}`;
}

async function readTable(file: string): Promise<{ rows: Record<string, unknown>[] }> {
  if (!existsSync(file) || !statSync(file).isFile()) {
    throw new UsageError({
      what: `No data file at ${file}.`,
      why: '--from names the CSV or JSON file to fit a synthetic copy to.',
      fix: 'Give the path of an existing .csv, .jsonl or .json file.',
    });
  }
  if (!/\.(csv|tsv|tab|jsonl|ndjson|json)$/i.test(file)) {
    throw new UsageError({
      what: `Cannot read ${file}: unknown file type.`,
      why: 'synth init --from reads .csv or .tsv (with a header row), .jsonl and .json (an array of records).',
      fix: 'Convert the file to CSV or JSON first.',
      file,
    });
  }
  const { rows } = await readSourceRows([file]);
  if (rows.length === 0 || !rows.some((r) => Object.keys(r).length > 0)) {
    throw new UsageError({
      what: `${file} has no rows.`,
      why: 'The schema and the fitted generator are learned from the rows.',
      fix: 'Use a file with a header and at least a few rows.',
      file,
    });
  }
  return { rows };
}

/**
 * Lays out a new project (or adds one to a folder with a package.json): package.json entries,
 * `src/assets/index.ts`, a prompt file, tsconfig.json, .gitignore entries, and with `from` the
 * data file, a schema inferred from it and a dataset fitted to it. Refuses, before writing
 * anything, when a file it would create exists (exit 2, naming them all); new files are
 * created with an exclusive flag, so a file appearing meanwhile is never overwritten either.
 */
export async function scaffoldProject(options: ScaffoldOptions): Promise<ScaffoldResult> {
  const root = path.resolve(options.dir);
  if (existsSync(root) && !statSync(root).isDirectory()) {
    throw new UsageError({ what: `${root} is not a folder.`, fix: 'Give a folder (new or existing) to synth init.' });
  }
  const files = new Map<string, string>();
  let copyFrom: string | undefined;
  let data: ScaffoldResult['data'];
  let assets: string[];
  let show: string;

  if (options.from) {
    const source = path.resolve(options.from);
    const { rows } = await readTable(source);
    const base = assetBaseName(options.name ?? path.basename(source).replace(/\.[^.]+$/, ''));
    // A file inside the project is read where it is; one outside is copied into data/.
    const inside = !path.relative(root, source).startsWith('..') && !path.isAbsolute(path.relative(root, source));
    const rel = inside ? path.relative(root, source).split(path.sep).join('/') : `data/${path.basename(source)}`;
    if (!inside) copyFrom = source;
    const columns = inferColumns(rows);
    data = { file: rel, rows: rows.length, columns };
    const t = fromDataTemplate({ base, dataFile: rel, rows: rows.length, columns });
    files.set('src/assets/index.ts', t.assets);
    files.set(`prompts/${t.promptId}.yaml`, t.prompt);
    assets = t.assetNames;
    show = t.report;
  } else {
    const t = defaultTemplate(assetBaseName(options.name ?? 'customers'));
    files.set('src/assets/index.ts', t.assets);
    files.set(`prompts/${t.promptId}.yaml`, t.prompt);
    assets = t.assetNames;
    show = t.report;
  }

  const existing = [...files.keys(), ...(copyFrom && data ? [data.file] : [])].filter((rel) => existsSync(path.join(root, rel)));
  if (existing.length > 0) {
    throw new UsageError({
      what: `synth init would overwrite ${existing.length === 1 ? 'a file' : `${existing.length} files`} in ${root}: ${existing.join(', ')}.`,
      why: 'synth init never replaces files: they may hold your work.',
      fix: 'Run it in a new folder (synth init DIR), move those files away, or pick other asset names with --name NAME.',
    });
  }

  // Refused targets (inside a .synth/ folder, ...) are found before the first folder is made.
  for (const rel of files.keys()) checkOutputPath(path.join(root, rel), { flag: 'synth init' });

  const created: string[] = [];
  const updated: string[] = [];
  mkdirSync(root, { recursive: true });
  const create = (rel: string, data: string | Uint8Array) => {
    const file = path.join(root, rel);
    try {
      writeProjectFile(file, data, false);
    } catch (err) {
      if (err instanceof OutputPathError && existsSync(file)) {
        throw new UsageError({ what: `${rel} appeared while synth init was writing; it was left as it is.`, fix: 'Check the folder and run synth init again.', file });
      }
      throw err;
    }
    created.push(rel);
  };

  if (copyFrom && data) create(data.file, readFileSync(copyFrom));
  for (const [rel, text] of files) create(rel, text);
  if (!existsSync(path.join(root, 'tsconfig.json'))) create('tsconfig.json', TSCONFIG);
  const pkg = updatePackageJson(root, options.version);
  (pkg === 'created' ? created : updated).push('package.json');
  const gitignore = updateGitignore(root);
  if (gitignore === 'created') created.push('.gitignore');
  if (gitignore === 'updated') updated.push('.gitignore');

  const installed = existsSync(path.join(root, 'node_modules', 'synthgraph', 'package.json'));
  const next = [...(installed ? [] : ['npm install']), 'npx synth materialize', `npx synth show ${show}`, ...(installed ? ['npx synth status'] : [])];
  return { root, created, updated, assets, ...(data ? { data } : {}), next };
}

/**
 * Creates package.json, or adds what is missing to an existing one (never changing a value the
 * user set): synthgraph as a dependency, scripts, and the type checker for the assets file.
 */
function updatePackageJson(root: string, version: string): 'created' | 'updated' {
  const file = path.join(root, 'package.json');
  const exists = existsSync(file);
  let pkg: Record<string, unknown>;
  if (exists) {
    try {
      pkg = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    } catch (err) {
      throw new UsageError({ what: `${file} is not valid JSON.`, why: (err as Error).message, fix: 'Fix package.json, then run synth init again.', file });
    }
    if (pkg === null || typeof pkg !== 'object' || Array.isArray(pkg)) {
      throw new UsageError({ what: `${file} is not a JSON object.`, fix: 'Fix package.json, then run synth init again.', file });
    }
  } else {
    pkg = { name: assetBaseName(path.basename(root)).replace(/_/g, '-'), version: '0.0.0', private: true, type: 'module' };
  }
  const section = (key: string): Record<string, unknown> => {
    const value = pkg[key];
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
    const fresh: Record<string, unknown> = {};
    pkg[key] = fresh;
    return fresh;
  };
  const add = (key: string, name: string, value: string) => {
    const s = section(key);
    if (!Object.hasOwn(s, name)) s[name] = value;
  };
  const deps = section('dependencies');
  const devDeps = section('devDependencies');
  if (!Object.hasOwn(deps, 'synthgraph') && !Object.hasOwn(devDeps, 'synthgraph')) add('dependencies', 'synthgraph', `^${version}`);
  add('devDependencies', 'typescript', '^5.9.0');
  add('devDependencies', '@types/node', '^20.19.0');
  add('scripts', 'materialize', 'synth materialize');
  add('scripts', 'status', 'synth status');
  add('scripts', 'typecheck', 'tsc --noEmit');
  const text = JSON.stringify(pkg, null, 2) + '\n';
  writeProjectFile(file, text, exists);
  return exists ? 'updated' : 'created';
}

/** Adds `.synth/` and `node_modules/` to .gitignore when missing. */
function updateGitignore(root: string): 'created' | 'updated' | 'unchanged' {
  const file = path.join(root, '.gitignore');
  if (!existsSync(file)) {
    writeProjectFile(file, GITIGNORE_LINES.join('\n') + '\n', false);
    return 'created';
  }
  const text = readFileSync(file, 'utf8');
  const have = new Set(text.split(/\r?\n/).map((l) => l.trim().replace(/^\//, '')));
  const missing = GITIGNORE_LINES.filter((l) => !have.has(l) && !have.has(l.replace(/\/$/, '')));
  if (missing.length === 0) return 'unchanged';
  writeProjectFile(file, text + (text === '' || text.endsWith('\n') ? '' : '\n') + missing.join('\n') + '\n', true);
  return 'updated';
}

/**
 * Every file synth init writes follows the rule of every user-given output path (`--out`): a
 * regular file outside any `.synth/` folder, written atomically, and an existing one replaced only
 * when init means to update it (package.json, .gitignore).
 */
function writeProjectFile(file: string, data: string | Uint8Array, replace: boolean): void {
  writeUserFile(file, data, { force: replace, flag: 'synth init' });
}
