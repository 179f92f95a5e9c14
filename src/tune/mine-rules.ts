import { MAX_SMALL_CATEGORIES, type Row } from '../engine/index.js';
import type { FeedbackPattern } from '../feedback/index.js';
import { compileRule, type CompiledRule } from '../rules/index.js';
import { numbersOf, valueCounts } from './column-values.js';

/** A rule found in live data, with how it was found. */
export interface MinedRule {
  text: string;
  /** The condition `A == a`. */
  when: { column: string; value: unknown };
  /** The column the assertion constrains, and whether it pins one value (`B == b`) or bounds a number. */
  column: string;
  pins: boolean;
  /** Live rows the rule's condition applies to. */
  support: number;
  /** Current (synthetic) rows that break it. */
  broken: number;
}

/** Options of {@link mineRules}. */
export interface MineOptions {
  /** Share of live rows a rule must hold on. Default 1 (every row). */
  minConfidence?: number;
  /** Fewest live rows a rule's condition must apply to. Default: max(5, 2% of the live rows). */
  minSupport?: number;
  /** Most rules returned (largest support first). Default 10. */
  limit?: number;
}

/** A field as the rule language writes it: plain, or in backticks when it has spaces or symbols. */
export function ruleField(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : `\`${name}\``;
}

const literal = (v: unknown): string => (typeof v === 'string' ? JSON.stringify(v) : String(v));

/** Share of rows a compiled rule holds on. */
function holdShare(rule: CompiledRule, rows: readonly Row[]): number {
  if (!rows.length) return 1;
  let ok = 0;
  for (const r of rows) if (rule.test(r)) ok++;
  return ok / rows.length;
}

/**
 * Rules that hold on (nearly) every live row and that the current data breaks: for each frequent
 * value `a` of a categorical column A, `if A == a, B == b` when every live row with A = a has
 * B = b, and `if A == a, X >= lo` / `X <= hi` when the live rows with A = a keep numeric X inside
 * a narrower range than the whole column (a null guard is added when X has missing values).
 * Rules the prompt already has are left out.
 */
export function mineRules(live: readonly Row[], current: readonly Row[], fields: readonly string[], existing: readonly string[], options: MineOptions = {}): MinedRule[] {
  const minConfidence = options.minConfidence ?? 1;
  const minSupport = options.minSupport ?? Math.max(5, Math.ceil(live.length * 0.02));
  const categorical = fields.filter((f) => {
    const counts = valueCounts(live, f);
    return counts.size >= 2 && counts.size <= Math.min(MAX_SMALL_CATEGORIES, 20) && [...counts.keys()].every((v) => typeof v === 'string' || typeof v === 'boolean');
  });
  const numeric = fields.filter((f) => numbersOf(live, f).length >= minSupport);
  const candidates: Omit<MinedRule, 'broken'>[] = [];
  for (const a of categorical) {
    for (const [value, n] of valueCounts(live, a)) {
      if (n < minSupport) continue;
      const inContext = live.filter((r) => r[a] === value);
      const cond = `if ${ruleField(a)} == ${literal(value)}, `;
      for (const b of categorical) {
        if (b === a) continue;
        const bs = valueCounts(inContext, b);
        if (bs.size === 1) candidates.push({ text: `${cond}${ruleField(b)} == ${literal([...bs.keys()][0])}`, support: n, when: { column: a, value }, column: b, pins: true });
      }
      for (const x of numeric) {
        const all = numbersOf(live, x);
        const xs = numbersOf(inContext, x);
        if (xs.length < minSupport) continue;
        const [gMin, gMax] = [Math.min(...all), Math.max(...all)];
        const [lo, hi] = [Math.min(...xs), Math.max(...xs)];
        // Only bounds that say something: at least 10% of the other rows fall outside them
        // (a subset's range is always a bit narrower than the whole column's by chance).
        const others = numbersOf(
          live.filter((r) => r[a] !== value),
          x,
        );
        const below = others.filter((v) => v < lo).length;
        const above = others.filter((v) => v > hi).length;
        const guard = inContext.some((r) => r[x] === null || r[x] === undefined) ? `${ruleField(x)} == null or ` : '';
        if (others.length && below >= others.length * 0.1 && lo > gMin)
          candidates.push({ text: `${cond}${guard}${ruleField(x)} >= ${lo}`, support: n, when: { column: a, value }, column: x, pins: false });
        if (others.length && above >= others.length * 0.1 && hi < gMax)
          candidates.push({ text: `${cond}${guard}${ruleField(x)} <= ${hi}`, support: n, when: { column: a, value }, column: x, pins: false });
      }
    }
  }
  const known = new Set(existing.map((t) => t.replace(/\s+/g, ' ').trim()));
  const out: MinedRule[] = [];
  for (const candidate of candidates) {
    const { text } = candidate;
    if (known.has(text)) continue;
    const rule = compileRule(text);
    if (holdShare(rule, live) < minConfidence) continue;
    const broken = current.filter((r) => !rule.test(r)).length;
    if (broken === 0) continue;
    out.push({ ...candidate, broken });
  }
  return out.sort((x, y) => y.broken - x.broken || x.text.localeCompare(y.text)).slice(0, options.limit ?? 10);
}

/**
 * A rule from a feedback pattern seen at least `minCount` times, in the pattern's context: the
 * one correct value (`column == "Biscoe"`), or a bound that excludes every wrong number
 * (`column > 20` when the wrong values were all below the correct ones). Undefined when the
 * pattern has no context, no column or no consistent correction.
 */
export function feedbackRule(p: FeedbackPattern, minCount: number): string | undefined {
  if (p.count < minCount || !p.column || Object.keys(p.when).length === 0) return undefined;
  const cond = `if ${Object.entries(p.when)
    .map(([k, v]) => `${ruleField(k)} == ${v === null ? 'null' : literal(v)}`)
    .join(' and ')}, `;
  const col = ruleField(p.column);
  const correct = p.correct.filter((v) => v !== null);
  if (correct.length === 1 && typeof correct[0] !== 'number') return `${cond}${col} == ${literal(correct[0])}`;
  const wrong = p.wrong.filter((v): v is number => typeof v === 'number');
  const right = correct.filter((v): v is number => typeof v === 'number');
  if (!wrong.length || !right.length || wrong.length !== p.wrong.length) return undefined;
  if (Math.max(...wrong) < Math.min(...right)) return `${cond}${col} > ${Math.max(...wrong)}`;
  if (Math.min(...wrong) > Math.max(...right)) return `${cond}${col} < ${Math.min(...wrong)}`;
  return undefined;
}
