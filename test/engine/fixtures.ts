/** Small projects for engine tests: trivial function assets that count their own runs. */

/**
 * A chain a → b → c plus an unrelated d, where every run of an asset appends a line to
 * `runs.log`, so tests can count real executions. `A_VALUE` in `a.txt` feeds `a`.
 */
export const chainDefs = `
import { appendFileSync, readFileSync } from 'node:fs';
import { asset } from 'synthgraph';

const log = (name: string) => appendFileSync('runs.log', name + '\\n');
const seed = () => readFileSync('a.txt', 'utf8').trim();

export const a = asset({ name: 'a', codeVersion: readFileSync('a.version', 'utf8').trim(), materialize: () => { log('a'); return { value: seed() }; } });
export const b = asset({ name: 'b', deps: { a }, codeVersion: '1', materialize: (_ctx, { a }) => { log('b'); return { doubled: a.value + a.value }; } });
export const c = asset({ name: 'c', deps: { b }, codeVersion: '1', materialize: (_ctx, { b }) => { log('c'); return [{ x: b.doubled }, { x: 'end' }]; } });
export const d = asset({ name: 'd', codeVersion: '1', materialize: () => { log('d'); return 42; } });
`;

export function runsLog(text: string): string[] {
  return text.split('\n').filter(Boolean);
}
