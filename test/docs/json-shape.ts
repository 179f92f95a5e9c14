/**
 * Checks a real JSON value against a documented shape (docs/cli-contract.md): the same keys
 * (a key ending in `?` may be absent, a key `…` allows any further keys and shapes their values),
 * the same JSON types, array elements each against the shape's first element, `null` on either
 * side matching any type. Returns the differences, empty when the value conforms.
 */
export function shapeDifferences(shape: unknown, value: unknown, at = '$'): string[] {
  if (shape === null || value === null) return [];
  const kind = (v: unknown) => (Array.isArray(v) ? 'array' : typeof v);
  if (kind(shape) !== kind(value)) return [`${at}: documented as ${kind(shape)}, got ${kind(value)} (${JSON.stringify(value)?.slice(0, 80)})`];
  if (Array.isArray(shape)) {
    const element = shape[0];
    if (element === undefined) return [];
    return (value as unknown[]).flatMap((v, i) => shapeDifferences(element, v, `${at}[${i}]`));
  }
  if (typeof shape !== 'object') return [];
  const doc = shape as Record<string, unknown>;
  const real = value as Record<string, unknown>;
  const out: string[] = [];
  const open = Object.hasOwn(doc, '…');
  const named = new Map(
    Object.keys(doc)
      .filter((k) => k !== '…')
      .map((k) => [k.replace(/\?$/, ''), k]),
  );
  for (const [name, key] of named) {
    if (!Object.hasOwn(real, name)) {
      if (!key.endsWith('?')) out.push(`${at}.${name}: documented, missing from the output`);
      continue;
    }
    out.push(...shapeDifferences(doc[key], real[name], `${at}.${name}`));
  }
  for (const name of Object.keys(real)) {
    if (named.has(name)) continue;
    if (open) out.push(...shapeDifferences(doc['…'], real[name], `${at}.${name}`));
    else out.push(`${at}.${name}: in the output, not documented`);
  }
  return out;
}

/** The documented shapes of a Markdown file: `<!-- shape: NAME -->` followed by a json (one value) or jsonl (one value per line) block. */
export function documentedShapes(markdown: string): Map<string, { format: 'json' | 'jsonl'; shapes: unknown[] }> {
  const found = new Map<string, { format: 'json' | 'jsonl'; shapes: unknown[] }>();
  for (const m of markdown.matchAll(/<!-- shape: (.+?) -->\n```(jsonl?)\n([\s\S]*?)```/g)) {
    const [, name, format, body] = m as unknown as [string, string, 'json' | 'jsonl', string];
    const shapes =
      format === 'json'
        ? [JSON.parse(body)]
        : body
            .split('\n')
            .filter(Boolean)
            .map((l) => JSON.parse(l) as unknown);
    found.set(name, { format, shapes });
  }
  return found;
}
