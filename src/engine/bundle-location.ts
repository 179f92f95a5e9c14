import { readFileSync } from 'node:fs';
import { SourceMap, type SourceMapPayload } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ErrorLocation } from './errors.js';

/** `at ... (file:///x/defs-1.mjs:12:5)` or `at /x/defs-1.mjs:12:5`: the frames of a V8 stack. */
const FRAME = /(file:\/\/[^\s()]+|\/[^\s():]+):(\d+):(\d+)/g;

/**
 * Where, in the user's own files, the first stack frame inside the definitions bundle points:
 * the bundle's source map (written next to it by the loader) maps it back. Undefined when no
 * frame is in the bundle or the map cannot be read. Runs only when an error is reported.
 */
export function locateInBundle(stack: string | undefined, bundle: string, mapFile: string | undefined): ErrorLocation | undefined {
  if (!stack || !mapFile) return undefined;
  for (const m of stack.matchAll(FRAME)) {
    const file = m[1].startsWith('file://') ? fileURLToPath(m[1]) : m[1];
    if (path.resolve(file) !== path.resolve(bundle)) continue;
    try {
      const payload = JSON.parse(readFileSync(mapFile, 'utf8')) as SourceMapPayload;
      const entry = new SourceMap(payload).findEntry(Number(m[2]) - 1, Number(m[3]) - 1) as { originalSource?: string; originalLine?: number; originalColumn?: number };
      if (!entry.originalSource || entry.originalLine === undefined) return undefined;
      const source = entry.originalSource.startsWith('file://') ? fileURLToPath(entry.originalSource) : path.resolve(path.dirname(mapFile), entry.originalSource);
      return { file: source, line: entry.originalLine + 1, column: (entry.originalColumn ?? 0) + 1 };
    } catch {
      return undefined;
    }
  }
  return undefined;
}
