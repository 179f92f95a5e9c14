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

/**
 * Points the datasets that use prompt `from` at prompt `to` in the definitions: every
 * `prompt: 'from'` (any quote) in the definitions folder is rewritten, each file atomically.
 * @throws UsageError when no such line is found (the user edits by hand).
 */
export function pointDatasetsAt(defsFile: string, from: string, to: string): { file: string; replaced: number }[] {
  const escaped = from.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = new RegExp(`(\\bprompt\\s*:\\s*)(['"\`])${escaped}\\2`, 'g');
  const changed: { file: string; replaced: number }[] = [];
  for (const file of definitionFiles(defsFile)) {
    const text = readFileSync(file, 'utf8');
    let replaced = 0;
    const next = text.replace(pattern, (_m, head: string, q: string) => {
      replaced++;
      return `${head}${q}${to}${q}`;
    });
    if (replaced) {
      writeFileAtomic(file, next);
      changed.push({ file, replaced });
    }
  }
  if (!changed.length) {
    throw new UsageError({
      what: `--apply found no \`prompt: '${from}'\` in the definitions below ${path.dirname(defsFile)}.`,
      why: 'It rewrites only literal prompt ids; a prompt id built in code cannot be found.',
      fix: `Point the dataset at '${to}' by hand (the new prompt file was written).`,
    });
  }
  return changed;
}
