import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { UsageError, writeFileAtomic } from '../engine/index.js';

/** Definition source files: the entry and every script below its folder (node_modules left out). */
function definitionFiles(defsFile: string): string[] {
  const out: string[] = [];
  const walk = (dir: string, depth: number) => {
    if (depth > 6) return;
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (e.name !== 'node_modules' && !e.name.startsWith('.')) walk(full, depth + 1);
      } else if (/\.(ts|mts|cts|js|mjs|cjs)$/.test(e.name) && !e.name.endsWith('.d.ts')) out.push(full);
    }
  };
  walk(path.dirname(defsFile), 0);
  return out.sort();
}

/** A definitions file with its code mask: strings and comments blanked, so braces and keys found in it are code. */
interface SourceFile {
  file: string;
  text: string;
  code: string;
}

/** One replacement of a string literal's content. */
interface Edit {
  file: string;
  /** Offsets of the literal's content (inside the quotes). */
  start: number;
  end: number;
}

/** A place --apply will not rewrite, and why. */
interface Refusal {
  file: string;
  line: number;
  why: string;
}

/**
 * Plans pointing the datasets that use prompt `from` at prompt `to` in their definitions; `apply()`
 * writes it. For each dataset
 * it finds the `dataset({ name: '<dataset>', ... })` object and its `prompt` value: a string literal
 * (`'id'`, `"id"`, or a template literal without `${}`) is rewritten where it stands; a name (`prompt:
 * SHOP_PROMPT`, or the shorthand `prompt`) is followed to its one `const SHOP_PROMPT = 'id'` in the
 * definition files, and that literal is rewritten. Anything else (an id built in code, imported
 * from a package, spread from another object) is not guessed at: nothing is written, and the error
 * says which line to edit. Every edit is found before anything is written; each file is written atomically.
 * @throws UsageError (exit 2) naming file:line for each dataset it cannot rewrite safely.
 */
export function planPointing(project: { root: string; defsFile: string }, datasets: readonly string[], from: string, to: string): { apply(): { file: string; replaced: number }[] } {
  const sources = definitionFiles(project.defsFile).map((file): SourceFile => {
    const text = readFileSync(file, 'utf8');
    return { file, text, code: maskCode(text) };
  });
  const edits = new Map<string, Edit>();
  const refusals: Refusal[] = [];
  for (const dataset of datasets) {
    const found = promptValueOf(sources, dataset, from);
    if ('why' in found) refusals.push(found);
    else edits.set(`${found.file}:${found.start}`, found);
  }
  if (refusals.length) {
    const where = (r: Refusal) => `${path.relative(project.root, r.file)}:${r.line}`;
    throw new UsageError({
      what: `--apply cannot point ${datasets.join(', ')} at '${to}' safely, so it changed nothing (no prompt file was written either).`,
      why: refusals.map((r) => `${where(r)}: ${r.why}`).join('\n'),
      fix: `Run the same command without --apply (it writes the new prompt file), then make ${refusals.map(where).join(', ')} give '${to}' instead of '${from}'.`,
      file: refusals[0].file,
      line: refusals[0].line,
    });
  }
  return {
    apply() {
      const changed: { file: string; replaced: number }[] = [];
      for (const source of sources) {
        const mine = [...edits.values()].filter((e) => e.file === source.file).sort((a, b) => b.start - a.start);
        if (!mine.length) continue;
        let next = source.text;
        for (const e of mine) next = next.slice(0, e.start) + to + next.slice(e.end);
        writeFileAtomic(source.file, next);
        changed.push({ file: source.file, replaced: mine.length });
      }
      return changed;
    },
  };
}

/** The literal holding a dataset's prompt id, or why there is none that can be rewritten safely. */
function promptValueOf(sources: readonly SourceFile[], dataset: string, from: string): Edit | Refusal {
  const nameAt = new RegExp(`\\bname\\s*:\\s*(['"\`])${escapeRegExp(dataset)}\\1`, 'g');
  for (const s of sources) {
    for (const m of s.text.matchAll(nameAt)) {
      if (s.code[m.index] !== 'n') continue; // in a comment or a string
      const open = enclosingBrace(s.code, m.index);
      const close = open < 0 ? -1 : matchingBrace(s.code, open);
      if (close < 0) continue;
      const key = topLevelKey(s.code, open, close, 'prompt');
      if (key === undefined) {
        return { file: s.file, line: lineOf(s.text, m.index), why: `the definition of ${dataset} has no \`prompt:\` written in it (it comes from elsewhere)` };
      }
      return literalAt(sources, s, key, from);
    }
  }
  return { file: sources[0]?.file ?? '', line: 1, why: `the definition of ${dataset} was not found (its name is not written as \`name: '${dataset}'\`)` };
}

/** The literal of a `prompt` key at `key` (just after `prompt`): direct, or through a const. */
function literalAt(sources: readonly SourceFile[], s: SourceFile, key: number, from: string): Edit | Refusal {
  const line = lineOf(s.text, key);
  const rest = s.text.slice(key);
  const colon = /^\s*:\s*/.exec(rest);
  const valueAt = key + (colon ? colon[0].length : 0);
  const literal = colon ? literalContent(s.text, valueAt) : undefined;
  // A literal that is the whole value (not the start of `'shop_' + v`).
  if (literal && endsValue(s.code, literal.end + 1)) {
    if (literal.value === from) return { file: s.file, start: literal.start, end: literal.end };
    return { file: s.file, line, why: `prompt is '${literal.value}', not '${from}'` };
  }
  // A name: `prompt: SHOP_PROMPT`, or the shorthand `prompt` (a variable named prompt).
  const ident = colon ? /^[A-Za-z_$][\w$]*/.exec(s.text.slice(valueAt))?.[0] : 'prompt';
  if (ident === undefined || !endsValue(s.code, colon ? valueAt + ident.length : key)) {
    return { file: s.file, line, why: `\`prompt: ${s.text.slice(valueAt, valueEnd(s.code, valueAt)).trim()}\` computes the prompt id in code` };
  }
  const name = ident;
  const declared = new RegExp(`\\bconst\\s+${escapeRegExp(name)}\\s*(?::\\s*string\\s*)?=\\s*`, 'g');
  const hits: Edit[] = [];
  let other: string | undefined;
  for (const d of sources) {
    for (const m of d.text.matchAll(declared)) {
      if (d.code[m.index] !== 'c') continue;
      const lit = literalContent(d.text, m.index + m[0].length);
      if (lit?.value === from) hits.push({ file: d.file, start: lit.start, end: lit.end });
      else other = `${name} is declared as something else than '${from}'`;
    }
  }
  if (hits.length === 1 && !other) return hits[0];
  return {
    file: s.file,
    line,
    why: hits.length > 1 ? `${name} is declared as '${from}' in more than one place` : (other ?? `${name} is not a \`const ${name} = '${from}'\` in the definitions`),
  };
}

/** A string literal (quotes, or backticks without `${`) starting at `at`, with its content's offsets. */
function literalContent(text: string, at: number): { value: string; start: number; end: number } | undefined {
  const m = /^(['"])((?:(?!\1)[^\\\n])*)\1|^`([^`$\\]*)`/.exec(text.slice(at));
  if (!m) return undefined;
  const value = m[2] ?? m[3];
  return { value, start: at + 1, end: at + 1 + value.length };
}

/** Offset just after a `key` of the object between `open` and `close` at its own level (`key:` or shorthand), or undefined. */
function topLevelKey(code: string, open: number, close: number, key: string): number | undefined {
  let depth = 0;
  for (let i = open + 1; i < close; i++) {
    const ch = code[i];
    if (ch === '{' || ch === '(' || ch === '[') depth++;
    else if (ch === '}' || ch === ')' || ch === ']') depth--;
    else if (depth === 0 && code.startsWith(key, i) && !/[\w$]/.test(code[i - 1]) && /^\s*[:,}]/.test(code.slice(i + key.length, close + 1))) return i + key.length;
  }
  return undefined;
}

/** Whether only blanks stand between `at` and the `,` or `}` after a property value. */
function endsValue(code: string, at: number): boolean {
  const next = code.slice(at).trimStart()[0];
  return next === ',' || next === '}';
}

/** Where a property value starting at `at` ends: the next `,` or `}` of its own level. */
function valueEnd(code: string, at: number): number {
  let depth = 0;
  for (let i = at; i < code.length; i++) {
    const ch = code[i];
    if (ch === '{' || ch === '(' || ch === '[') depth++;
    else if ((ch === ',' || ch === '}' || ch === ')' || ch === ']') && depth-- === 0) return i;
  }
  return code.length;
}

/** The `{` of the innermost object around `at`, or -1. */
function enclosingBrace(code: string, at: number): number {
  let depth = 0;
  for (let i = at - 1; i >= 0; i--) {
    if (code[i] === '}') depth++;
    else if (code[i] === '{' && depth-- === 0) return i;
  }
  return -1;
}

/** The `}` closing the `{` at `open`, or -1. */
function matchingBrace(code: string, open: number): number {
  let depth = 0;
  for (let i = open; i < code.length; i++) {
    if (code[i] === '{') depth++;
    else if (code[i] === '}' && --depth === 0) return i;
  }
  return -1;
}

/**
 * `text` with the inside of strings, template literals and comments replaced by spaces (same length,
 * line breaks kept), so that braces and names found in it are code. Template literals are blanked
 * whole, `${}` included: their braces balance, and no key we look for is written inside one.
 */
function maskCode(text: string): string {
  const out = text.split('');
  let i = 0;
  const blank = (from: number, to: number) => {
    for (let k = from; k < to; k++) if (out[k] !== '\n') out[k] = ' ';
  };
  while (i < text.length) {
    const ch = text[i];
    if (ch === '/' && text[i + 1] === '/') {
      const end = text.indexOf('\n', i);
      const stop = end < 0 ? text.length : end;
      blank(i, stop);
      i = stop;
    } else if (ch === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end < 0 ? text.length : end + 2;
      blank(i, stop);
      i = stop;
    } else if (ch === "'" || ch === '"' || ch === '`') {
      let k = i + 1;
      let depth = 0;
      while (k < text.length) {
        if (text[k] === '\\') k += 2;
        else if (ch === '`' && text[k] === '$' && text[k + 1] === '{') {
          depth++;
          k += 2;
        } else if (ch === '`' && depth > 0 && text[k] === '}') {
          depth--;
          k++;
        } else if (text[k] === ch && depth === 0) break;
        else if (ch !== '`' && text[k] === '\n') break;
        else k++;
      }
      blank(i + 1, k);
      i = k + 1;
    } else i++;
  }
  return out.join('');
}

function lineOf(text: string, offset: number): number {
  return text.slice(0, offset).split('\n').length;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
