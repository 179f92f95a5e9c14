import type { Prng } from './prng.js';
import { cumulate } from './prng.js';

/**
 * Identifiers, names and free text learned from a reference column without copying it:
 * - `pattern` (codes such as `AB-1234`, `SKU00017`): the value's shape (letters, digits, the
 *   same punctuation) with each position drawn from the characters the reference has there,
 *   so a constant prefix stays and the digits vary;
 * - `words` (names, titles, free text): a word chain (which word follows which, how many words),
 *   with single words made by a character chain, so "Chevrolet Chevelle Malibu" gives other
 *   car-like names.
 * A draw equal to a reference value is redrawn, so no real value is emitted.
 */
export interface TextModel {
  readonly kind: 'pattern' | 'words';
  /** Why this kind: shapes/lengths seen, for `synth show`. */
  readonly why: string;
  draw(rng: Prng): string;
}

/** Redraws before giving up on avoiding a real value (a mutated copy is returned then). */
const REDRAWS = 40;
const END = '\u0000';

interface Table {
  values: string[];
  cumulative: number[];
}

function table(counts: Map<string, number>): Table {
  // Sorted keys: the model (and so the draws) do not depend on the reference's row order.
  const entries = [...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return { values: entries.map(([k]) => k), cumulative: cumulate(entries.map(([, n]) => n)) };
}

function bump(map: Map<string, Map<string, number>>, from: string, to: string): void {
  const next = map.get(from) ?? map.set(from, new Map()).get(from)!;
  next.set(to, (next.get(to) ?? 0) + 1);
}

const pick = (rng: Prng, t: Table) => t.values[rng.pickCumulative(t.cumulative)];

/** Shape of a string: A for an upper-case letter, a for lower, 9 for a digit, other characters as they are. */
function shapeOf(value: string): string {
  return value.replace(/[A-Z]/g, 'A').replace(/[a-z]/g, 'a').replace(/[0-9]/g, '9');
}

/** Fits a text model to a column's distinct values; `real` is the set no draw may equal. */
export function fitTextModel(values: readonly string[]): TextModel {
  const real = new Set(values);
  const shapes = new Map<string, number>();
  for (const v of values) shapes.set(shapeOf(v), (shapes.get(shapeOf(v)) ?? 0) + 1);
  const spaced = values.filter((v) => /\s/.test(v)).length;
  const digits = values.filter((v) => /\d/.test(v)).length;
  const top = [...shapes.values()]
    .sort((a, b) => b - a)
    .slice(0, 20)
    .reduce((s, n) => s + n, 0);
  const codeLike = spaced * 10 < values.length && digits * 2 >= values.length && top >= 0.9 * values.length;
  return codeLike ? patternModel(values, shapes, real) : wordsModel(values, real);
}

function patternModel(values: readonly string[], shapes: Map<string, number>, real: ReadonlySet<string>): TextModel {
  const shapeTable = table(shapes);
  // Per shape and position: the characters seen there.
  const chars = new Map<string, Table[]>();
  const counts = new Map<string, Map<string, number>[]>();
  for (const v of values) {
    const s = shapeOf(v);
    const perPos =
      counts.get(s) ??
      counts
        .set(
          s,
          [...v].map(() => new Map<string, number>()),
        )
        .get(s)!;
    [...v].forEach((ch, i) => perPos[i].set(ch, (perPos[i].get(ch) ?? 0) + 1));
  }
  for (const [s, perPos] of counts) chars.set(s, perPos.map(table));
  const classes: Record<string, string> = { A: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', a: 'abcdefghijklmnopqrstuvwxyz', '9': '0123456789' };
  const once = (rng: Prng): string => {
    const s = pick(rng, shapeTable);
    return chars
      .get(s)!
      .map((t) => pick(rng, t))
      .join('');
  };
  const top = [...shapes].sort((a, b) => b[1] - a[1])[0][0];
  return {
    kind: 'pattern',
    why: `code-like values (${shapes.size} shape(s), e.g. ${top.replace(/9/g, '#')}): each position drawn from the characters seen there`,
    draw(rng) {
      for (let i = 0; i < REDRAWS; i++) {
        const v = once(rng);
        if (!real.has(v)) return v;
      }
      // Every position nearly constant: vary a digit or letter position uniformly in its class.
      const v = [...once(rng)];
      const shape = shapeOf(v.join(''));
      const positions = [...shape].flatMap((c, i) => (classes[c] ? [i] : []));
      for (let i = 0; i < REDRAWS && positions.length; i++) {
        const p = positions[rng.int(0, positions.length - 1)];
        const pool = classes[shape[p]];
        v[p] = pool[rng.int(0, pool.length - 1)];
        if (!real.has(v.join(''))) break;
      }
      return v.join('');
    },
  };
}

function wordsModel(values: readonly string[], real: ReadonlySet<string>): TextModel {
  const next = new Map<string, Map<string, number>>();
  const letters = new Map<string, Map<string, number>>();
  let words = 0;
  for (const v of values) {
    const tokens = v.split(/\s+/).filter(Boolean);
    words += tokens.length;
    let prev = END;
    for (const t of tokens) {
      bump(next, prev, t);
      prev = t;
      // Character chain of order 2 over every word, for words the reference never had.
      let context = END + END;
      for (const ch of t) {
        bump(letters, context, ch);
        context = context[1] + ch;
      }
      bump(letters, context, END);
    }
    bump(next, prev, END);
  }
  const wordTables = new Map([...next].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, m]) => [k, table(m)]));
  const letterTables = new Map([...letters].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, m]) => [k, table(m)]));
  const maxWords = Math.max(...values.map((v) => v.split(/\s+/).filter(Boolean).length), 1);
  const maxLetters = Math.max(...values.flatMap((v) => v.split(/\s+/).map((t) => t.length)), 1);
  const chain = (rng: Prng): string[] => {
    const out: string[] = [];
    let prev = END;
    while (out.length < maxWords) {
      const t = wordTables.get(prev);
      if (!t) break;
      const w = pick(rng, t);
      if (w === END) break;
      out.push(w);
      prev = w;
    }
    return out;
  };
  const newWord = (rng: Prng): string => {
    let context = END + END;
    let word = '';
    while (word.length < maxLetters) {
      const t = letterTables.get(context);
      if (!t) break;
      const ch = pick(rng, t);
      if (ch === END) break;
      word += ch;
      context = context[1] + ch;
    }
    return word;
  };
  const mean = words / Math.max(1, values.length);
  return {
    kind: 'words',
    why: `names or free text (${mean.toFixed(1)} words per value on average): a word chain learned from the reference, new words from a letter chain`,
    draw(rng) {
      for (let i = 0; i < REDRAWS; i++) {
        const tokens = chain(rng);
        if (tokens.length === 0) continue;
        // Half of the retries also swap a word for a new one, so single-word columns vary.
        if (i >= REDRAWS / 2) tokens[rng.int(0, tokens.length - 1)] = newWord(rng) || tokens[0];
        const v = tokens.join(' ');
        if (!real.has(v)) return v;
      }
      return newWord(rng) + newWord(rng);
    },
  };
}
