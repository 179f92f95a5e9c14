import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { closest, distance } from 'fastest-levenshtein';
import type * as Yaml from 'yaml';
import type { Document, LineCounter } from 'yaml';
import type { z } from 'zod';
import { didYouMeanText, lazyPackage, PromptFileError, sha256 } from '../engine/index.js';
import type { NoiseSettings } from '../noise/index.js';
import { HINT_DISTRIBUTIONS, NOISE_KEYS, PROMPT_FILE_KEYS, PromptFileSchema } from './prompt-schema.js';
import { compileRule, type CompiledRule } from './rule.js';
import { typeName } from './rule-values.js';
import { renderTemplate } from './template.js';
import { findNode, lineOfNode, positionOfOffset } from './yaml-locator.js';

// Loaded when a prompt file is read: a project without prompt files (and every command that reads
// none) does not load yaml's 70 CommonJS files.
const yaml = lazyPackage<typeof Yaml>('yaml');

/** A loaded, validated prompt file `prompts/<prompt_id>.yaml` with its rules compiled. */
export interface PromptFile {
  /** The `prompt_id`, equal to the file name without `.yaml`. */
  id: string;
  domain: string;
  /** Prompt text with `{{name}}` placeholders. */
  template: string;
  version?: string;
  description?: string;
  /** Values for template placeholders (`{}` when the file has none). */
  variables: Record<string, string | number | boolean>;
  rules: CompiledRule[];
  /** Generator hints per field (`{}` when none); the inside is validated by the generator. */
  columns: Record<string, Record<string, unknown>>;
  /** The `noise:` block: imperfections applied after generation (undefined when none). */
  noise?: NoiseSettings;
  /** The prompt id this version was derived from (`derived_from:`), if any. */
  derivedFrom?: string;
  /** Why this version differs from the one it was derived from (`evidence:`), one line per change. */
  evidence: string[];
  /** Absolute path. */
  file: string;
  /** Raw file text. */
  content: string;
  /** sha256 hex of `content`. */
  hash: string;
  /** file:line of a YAML path, e.g. `locate(['columns', 'price', 'max'])`; the line of the deepest part found. */
  locate(path: (string | number)[]): { file: string; line?: number };
}

/** File extension of prompt files. */
export const PROMPT_FILE_EXTENSION = '.yaml';

/** A prompt id is a plain file name: no folders, no extension. */
const PROMPT_ID = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

/** Absolute path of a prompt file. @throws PromptFileError for an id that is not a plain name. */
export function promptFilePath(promptsDir: string, promptId: string): string {
  if (!PROMPT_ID.test(promptId) || promptId.endsWith(PROMPT_FILE_EXTENSION)) {
    const bare = path.basename(promptId).replace(/\.ya?ml$/, '');
    throw new PromptFileError({
      what: `"${promptId}" is not a valid prompt id.`,
      why: 'A prompt id is the name of a file in the prompts folder, without folder or extension (letters, digits, "_", "-", ".").',
      fix: bare && PROMPT_ID.test(bare) ? `Use prompt: '${bare}'.` : "Use a plain name such as 'ecommerce_v1'.",
    });
  }
  return path.resolve(promptsDir, promptId + PROMPT_FILE_EXTENSION);
}

/** Prompt ids present in a folder (sorted), or undefined when the folder cannot be read. */
export function listPromptIds(promptsDir: string): string[] | undefined {
  const names = fileNames(promptsDir);
  return names && promptIdsIn(names);
}

function fileNames(dir: string): string[] | undefined {
  try {
    return readdirSync(dir);
  } catch {
    return undefined;
  }
}

function promptIdsIn(names: string[]): string[] {
  return names
    .filter((name) => name.endsWith(PROMPT_FILE_EXTENSION))
    .map((name) => name.slice(0, -PROMPT_FILE_EXTENSION.length))
    .sort();
}

/**
 * Reads, validates and compiles `promptsDir/<promptId>.yaml`.
 * @throws PromptFileError when the file is missing (naming the closest existing id), is not valid
 *   YAML, has missing/wrong keys, a `prompt_id` other than its name, or a malformed rule.
 */
export function loadPromptFile(promptsDir: string, promptId: string): PromptFile {
  const file = promptFilePath(promptsDir, promptId);
  let content: string;
  try {
    content = readFileSync(file, 'utf8');
  } catch (err) {
    throw missingFileError(promptsDir, promptId, file, err);
  }
  return parsePromptFile(file, content);
}

function missingFileError(promptsDir: string, promptId: string, file: string, err: unknown): PromptFileError {
  const code = (err as { code?: string }).code;
  if (code !== 'ENOENT') {
    return new PromptFileError({ what: `Cannot read prompt file ${file}.`, why: (err as Error).message, fix: 'Check that the path is a readable file.', file, cause: err });
  }
  const dir = path.resolve(promptsDir);
  // One directory read serves both the list of ids and the `.yml` check.
  const names = fileNames(dir);
  if (names === undefined) {
    return new PromptFileError({
      what: `Prompt "${promptId}" not found: the prompts folder ${dir} does not exist.`,
      why: 'Prompt files live in prompts/<prompt_id>.yaml at the project root.',
      fix: `Create ${file} with prompt_id, domain, template and rules, or run from the project root (--root DIR).`,
      file,
      cause: err,
    });
  }
  const ids = promptIdsIn(names);
  const yml = names.includes(`${promptId}.yml`);
  const near = ids.length > 0 ? closest(promptId, ids) : undefined;
  const suggestion = yml
    ? `Rename ${promptId}.yml to ${promptId}.yaml.`
    : near !== undefined
      ? `Did you mean '${near}'? Otherwise create ${file}.`
      : `Create ${file} with prompt_id, domain, template and rules.`;
  return new PromptFileError({
    what: `Prompt "${promptId}" not found: there is no ${file}.`,
    why: ids.length > 0 ? `The prompts that exist are: ${ids.join(', ')}.` : `The folder ${dir} holds no .yaml prompt files.`,
    fix: suggestion,
    file,
    cause: err,
  });
}

/**
 * Validates and compiles prompt-file text (no disk access). `file` (made absolute) is used for messages,
 * for the `prompt_id` check (it must equal the base name without extension) and as `PromptFile.file`.
 */
export function parsePromptFile(fileName: string, content: string): PromptFile {
  const file = path.resolve(fileName);
  const fail = (init: { what: string; why?: string; fix?: string; line?: number; column?: number }): never => {
    throw new PromptFileError({ ...init, file });
  };
  const bytes = Buffer.byteLength(content);
  if (bytes > MAX_PROMPT_FILE_BYTES) {
    fail({
      what: `The prompt file is ${(bytes / 1024).toFixed(0)} KiB, more than the ${MAX_PROMPT_FILE_BYTES / 1024} KiB read.`,
      why: 'A prompt file holds a template, rules and column hints: a few KiB. A bigger one is nearly always the wrong file.',
      fix: 'Keep data out of the prompt file (use a source asset for reference data), or split it.',
    });
  }
  const lineCounter = new (yaml().LineCounter)();
  // Duplicate keys are found by `checkKeys` in one pass: the yaml package's own check (uniqueKeys) is quadratic in the number of keys of a mapping.
  const doc = yaml().parseDocument(content, { lineCounter, prettyErrors: false, uniqueKeys: false });

  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const pos = positionOfOffset(lineCounter, e.pos[0]);
    fail({
      what: `The prompt file is not valid YAML: ${firstLine(e.message)}`,
      why: `YAML syntax error (${e.code}) at line ${pos.line}, column ${pos.col}.`,
      fix: 'Fix the YAML at that line. A rule that starts with a quote or contains ": " or " #" must be quoted as a whole, e.g. - \'"Books" == category\'.',
      line: pos.line,
      column: pos.col,
    });
  }

  checkKeys(doc, lineCounter, fail);
  const locate = (p: readonly (string | number)[]): { file: string; line?: number } => ({ file, line: lineOfNode(lineCounter, findNode(doc, p).node) ?? 1 });
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (err) {
    // An alias to an anchor never set, or aliases that expand exponentially (a "billion laughs" file).
    fail({
      what: `The prompt file's YAML aliases cannot be resolved: ${firstLine((err as Error).message)}`,
      why: `Every *alias needs an &anchor set before it, and aliases may expand to at most ${MAX_ALIAS_COUNT} copies.`,
      fix: 'Write the values out instead of using anchors and aliases, or fix the alias name.',
    });
  }

  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    fail({
      what: `The prompt file must be a YAML mapping, but it holds ${data === null || data === undefined ? 'nothing' : typeName(data)}.`,
      why: 'A prompt file has the keys prompt_id, domain, template and rules.',
      fix: 'Start from:\nprompt_id: my_prompt\ndomain: ecommerce\ntemplate: Generate {{rows}} records...\nrules:\n  - price > 0',
      line: lineOfNode(lineCounter, (doc.contents as never) ?? undefined) ?? 1,
    });
  }

  const parsed = PromptFileSchema.safeParse(data);
  if (!parsed.success) throw schemaError(parsed.error.issues[0], data as Record<string, unknown>, file, doc, locate);
  const value = parsed.data;

  const expectedId = path.basename(file).replace(/\.ya?ml$/i, '');
  if (value.prompt_id !== expectedId) {
    fail({
      what: `prompt_id "${value.prompt_id}" does not match the file name "${path.basename(file)}".`,
      why: 'An asset finds its prompt by file name, so the id written inside must be the same, or two files could claim one id.',
      fix: `Set prompt_id: ${expectedId}, or rename the file to ${value.prompt_id}${PROMPT_FILE_EXTENSION}.`,
      line: locate(['prompt_id']).line,
    });
  }

  const rules = (value.rules ?? []).map((text, index) => {
    const hit = findNode(doc, ['rules', index]);
    const line = lineOfNode(lineCounter, hit.node);
    return compileRule(text, { file, line, index, column: ruleColumn(content, lineCounter, hit.value, text) });
  });

  // Field names are user-given keys: null prototype.
  const columns: Record<string, Record<string, unknown>> = Object.create(null);
  for (const [name, hints] of Object.entries(value.columns ?? {})) {
    columns[name] = hints ?? {};
    checkHintRanges(name, columns[name], (p) => locate(['columns', name, ...p]).line, fail);
  }

  return {
    id: value.prompt_id,
    domain: value.domain,
    template: value.template,
    version: versionText(value.version, doc, content),
    description: value.description,
    variables: value.variables ?? {},
    rules,
    columns,
    ...(value.noise ? { noise: value.noise } : {}),
    ...(value.derived_from ? { derivedFrom: value.derived_from } : {}),
    evidence: value.evidence ?? [],
    file,
    content,
    hash: sha256(content),
    locate,
  };
}

/** Largest prompt file read. */
export const MAX_PROMPT_FILE_BYTES = 256 * 1024;
/** Most mapping keys read in a prompt file (all levels). */
export const MAX_PROMPT_FILE_KEYS = 10_000;
/** Most alias expansions allowed when resolving YAML aliases (the yaml package's `maxAliasCount`). */
export const MAX_ALIAS_COUNT = 100;

/**
 * The generator-independent part of column hints, checked when the prompt file is read (so
 * `synth status` refuses them too): `distribution` is a known one, and `min <= max` (also for
 * `items`). Generators validate the rest of their hints when they read them.
 */
function checkHintRanges(
  field: string,
  hints: Record<string, unknown>,
  lineOf: (p: string[]) => number | undefined,
  fail: (init: { what: string; why?: string; fix?: string; line?: number }) => never,
): void {
  const d = hints.distribution;
  if (d !== undefined && !(HINT_DISTRIBUTIONS as readonly unknown[]).includes(d)) {
    fail({
      what: `Column hint ${field}.distribution is ${JSON.stringify(d)}, which is not a distribution.`,
      why: `Distributions are ${HINT_DISTRIBUTIONS.join(', ')}.`,
      fix: `Use one of them, e.g. distribution: normal.`,
      line: lineOf(['distribution']),
    });
  }
  const items = hints.items !== null && typeof hints.items === 'object' ? (hints.items as Record<string, unknown>) : undefined;
  for (const [where, h] of [[[] as string[], hints] as const, [['items'], items] as const]) {
    if (typeof h?.min === 'number' && typeof h.max === 'number' && h.min > h.max) {
      const name = [field, ...where].join('.');
      fail({
        what: `Column hint ${name}: min (${h.min}) is greater than max (${h.max}).`,
        why: 'No value can satisfy both.',
        fix: 'Swap or fix min and max.',
        line: lineOf([...where, 'min']),
      });
    }
  }
}

/** Counts mapping keys (at most MAX_PROMPT_FILE_KEYS) and rejects duplicates, in one linear pass. */
function checkKeys(doc: Document, lineCounter: LineCounter, fail: (init: { what: string; why?: string; fix?: string; line?: number; column?: number }) => never): void {
  let count = 0;
  yaml().visit(doc, {
    Map(_key, map) {
      const seen = new Set<string>();
      for (const pair of map.items) {
        const key = yaml().isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        const pos = yaml().isScalar(pair.key) && pair.key.range ? positionOfOffset(lineCounter, pair.key.range[0]) : undefined;
        if (++count > MAX_PROMPT_FILE_KEYS) {
          fail({
            what: `The prompt file has more than ${MAX_PROMPT_FILE_KEYS} keys.`,
            why: 'A prompt file holds a template, rules and column hints: tens of keys, not thousands.',
            fix: 'Remove the extra keys (are they data pasted by mistake?).',
            line: pos?.line,
          });
        }
        if (seen.has(key)) {
          fail({
            what: `The prompt file is not valid YAML: the key "${key}" appears twice in one mapping.`,
            why: 'YAML mapping keys must be unique.',
            fix: 'Remove or rename one of them.',
            line: pos?.line,
            column: pos?.col,
          });
        }
        seen.add(key);
      }
    },
  });
}

/**
 * Renders a prompt's template with its `variables` plus `vars` (which win), e.g. `{ rows: 500 }`.
 * @throws PromptFileError pointing at the template's line when a placeholder has no value.
 */
export function renderPromptTemplate(prompt: PromptFile, vars: Record<string, unknown> = {}): string {
  return renderTemplate(prompt.template, { ...prompt.variables, ...vars }, prompt.locate(['template']));
}

function firstLine(message: string): string {
  return message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
}

/** `version: 1.0` parses as the number 1: keep the text as written. */
function versionText(version: string | number | undefined, doc: Document, content: string): string | undefined {
  if (version === undefined || typeof version === 'string') return version;
  const node = doc.get('version', true);
  if (yaml().isScalar(node) && node.range) return content.slice(node.range[0], node.range[1]).trim();
  return String(version);
}

/** The file column where the rule text starts, when the text sits unchanged on one line. */
function ruleColumn(content: string, lineCounter: LineCounter, node: unknown, text: string): number | undefined {
  if (!yaml().isScalar(node) || !node.range) return undefined;
  const raw = content.slice(node.range[0], node.range[1]);
  const col = positionOfOffset(lineCounter, node.range[0]).col;
  if (node.type === 'PLAIN' && raw === text) return col;
  if ((node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE') && raw.slice(1, -1) === text) return col + 1;
  return undefined;
}

type Issue = z.core.$ZodIssue;

function schemaError(
  issue: Issue,
  data: Record<string, unknown>,
  file: string,
  doc: Document,
  locate: (p: readonly (string | number)[]) => { file: string; line?: number },
): PromptFileError {
  const p = issue.path.filter((s): s is string | number => typeof s !== 'symbol');
  const where = p.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
  const actual = p.reduce<unknown>((v, k) => (v !== null && typeof v === 'object' ? (v as Record<string | number, unknown>)[k] : undefined), data);
  const base = { file, line: locate(p).line };
  const example = 'prompt_id: my_prompt\ndomain: ecommerce\ntemplate: Generate {{rows}} records with fields: ...\nrules:\n  - price > 0';

  if (issue.code === 'unrecognized_keys' && p[0] === 'noise' && p.length === 1) {
    const key = issue.keys[0];
    return new PromptFileError({
      ...base,
      line: locate([...p, key]).line,
      what: `Unknown key "noise.${key}" in the prompt file.`,
      why: `A noise block may only have: ${NOISE_KEYS.join(', ')}.`,
      fix: `${didYouMeanText(key, NOISE_KEYS).trim() || `Remove "${key}".`}`,
    });
  }
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0];
    const near = closest(key, PROMPT_FILE_KEYS);
    const similar = distance(key, near) <= Math.max(2, Math.floor(key.length / 3));
    return new PromptFileError({
      ...base,
      line: locate([...p, key]).line,
      what: `Unknown key "${key}" in the prompt file.`,
      why: `A prompt file may only have: ${PROMPT_FILE_KEYS.join(', ')}.`,
      fix: similar ? `Did you mean "${near}"?` : `Remove "${key}" (generator hints go under "columns:", template values under "variables:").`,
    });
  }
  if (issue.code === 'invalid_type' && actual === undefined) {
    return new PromptFileError({
      ...base,
      line: p.length > 1 ? base.line : 1,
      what: `The prompt file has no "${where}" key.`,
      why: 'prompt_id, domain and template are required.',
      fix: `Add "${where}: ..." at the top level. A complete file looks like:\n${example}`,
    });
  }
  if (p[0] === 'rules' && p.length === 2) {
    return new PromptFileError({
      ...base,
      what: `Rule ${Number(p[1]) + 1} is not a string but ${typeName(actual)}.`,
      why: 'YAML reads "key: value" (a colon followed by a space) as a mapping, and [..] or {..} at the start as a list or mapping.',
      fix: 'Quote the whole rule, e.g. - \'if category == "Electronics", price > 50\'.',
    });
  }
  const expected = issue.code === 'invalid_type' ? String(issue.expected) : undefined;
  const wanted: Record<string, string> = {
    prompt_id: 'a string (the file name)',
    domain: 'a non-empty string',
    template: 'a non-empty string',
    rules: 'a list of strings',
    version: 'a string',
    description: 'a string',
    variables: 'a mapping of names to strings, numbers or booleans',
    columns: 'a mapping of field names to mappings of generator hints',
    noise: 'a mapping (missing, typos, outliers, duplicates, formats, labels)',
    derived_from: 'a prompt id',
    evidence: 'a list of strings',
  };
  const top = String(p[0] ?? '');
  const need =
    p.length === 1
      ? wanted[top]
      : top === 'noise'
        ? 'a rate between 0 and 1 (for outliers and formats also { rate, factor } or { rate, unit })'
        : top === 'variables'
          ? 'a string, number or boolean'
          : top === 'columns'
            ? 'a mapping of generator hints (e.g. min: 1)'
            : expected;
  const empty = issue.code === 'too_small' && typeof actual === 'string';
  return new PromptFileError({
    ...base,
    what: empty ? `"${where}" is empty.` : `"${where}" must be ${need ?? expected ?? 'valid'}, but it is ${describe(actual)}.`,
    why: issue.message,
    fix: empty ? `Write a value for "${where}".` : `Change "${where}" to ${need ?? expected ?? 'a valid value'}.`,
  });
}

function describe(v: unknown): string {
  if (v === null) return 'empty (null)';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}...` : v)}`;
  if (typeof v === 'number' || typeof v === 'boolean') return `the ${typeof v} ${v}`;
  return `a ${typeName(v) === 'object' ? 'mapping' : typeName(v) === 'array' ? 'list' : typeName(v)}`;
}
