import type { SeededRandom } from '../engine/index.js';

/** Letters next to each letter on a QWERTY keyboard: a replaced letter is one a finger could hit. */
const NEIGHBOURS: Record<string, string> = {
  q: 'wa',
  w: 'qes',
  e: 'wrd',
  r: 'etf',
  t: 'ryg',
  y: 'tuh',
  u: 'yij',
  i: 'uok',
  o: 'ipl',
  p: 'ol',
  a: 'qsz',
  s: 'awdz',
  d: 'sefx',
  f: 'drgc',
  g: 'fthv',
  h: 'gyjb',
  j: 'hukn',
  k: 'jilm',
  l: 'kop',
  z: 'asx',
  x: 'zsdc',
  c: 'xdfv',
  v: 'cfgb',
  b: 'vghn',
  n: 'bhjm',
  m: 'njk',
};

const TypoOp = { swap: 0, drop: 1, double: 2, replace: 3 } as const;

/**
 * `text` with one typo: two neighbouring letters swapped, a letter dropped, doubled, or replaced
 * by a keyboard neighbour. Always differs from `text` (a no-op draw falls back to doubling).
 */
export function withTypo(text: string, rng: SeededRandom): string {
  if (text.length === 0) return 'x';
  const letters: number[] = [];
  for (let i = 0; i < text.length; i++) if (/\p{L}/u.test(text[i])) letters.push(i);
  const at = letters.length ? letters[rng.int(0, letters.length - 1)] : rng.int(0, text.length - 1);
  const op = rng.int(0, 3);
  let out = text;
  if (op === TypoOp.swap && at + 1 < text.length) out = text.slice(0, at) + text[at + 1] + text[at] + text.slice(at + 2);
  else if (op === TypoOp.drop && text.length > 1) out = text.slice(0, at) + text.slice(at + 1);
  else if (op === TypoOp.replace) {
    const lower = text[at].toLowerCase();
    const near = NEIGHBOURS[lower];
    if (near) {
      const c = near[rng.int(0, near.length - 1)];
      out = text.slice(0, at) + (text[at] === lower ? c : c.toUpperCase()) + text.slice(at + 1);
    }
  }
  return out === text ? text.slice(0, at + 1) + text[at] + text.slice(at + 1) : out;
}
