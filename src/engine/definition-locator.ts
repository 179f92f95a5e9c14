import { readFileSync } from 'node:fs';
import type { ErrorLocation } from './errors.js';

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const quoted = (text: string): RegExp => new RegExp(`(['"\`])${escape(text)}\\1`, 'g');

/**
 * The line of the definitions where an asset is declared (its `name: '<asset>'`), and of `near`
 * on or after it when given. Reads the bundled project files only when a mistake is reported,
 * which costs nothing when definitions are right (capturing a call stack per declaration would
 * cost every command ~10 µs per asset). Undefined when the name is not written literally.
 */
export function locateDeclaration(files: readonly string[], asset: string, near?: string | RegExp): ErrorLocation | undefined {
  const nameAt = new RegExp(`\\bname\\s*:\\s*(['"\`])${escape(asset)}\\1`, 'g');
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    const declared = nameAt.exec(text);
    nameAt.lastIndex = 0;
    if (!declared) continue;
    let offset = declared.index;
    if (near !== undefined) {
      const pattern = typeof near === 'string' ? quoted(near) : new RegExp(near.source, near.flags.includes('g') ? near.flags : `${near.flags}g`);
      // Within this declaration: up to the next asset's `name:`.
      const next = /\bname\s*:\s*['"`]/g;
      next.lastIndex = offset + declared[0].length;
      const end = next.exec(text)?.index ?? text.length;
      pattern.lastIndex = offset;
      const hit = pattern.exec(text);
      if (hit && hit.index < end) offset = hit.index;
    }
    const before = text.slice(0, offset);
    const line = before.split('\n').length;
    return { file, line, column: offset - before.lastIndexOf('\n') };
  }
  return undefined;
}
