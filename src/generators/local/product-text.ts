import type { Prng } from './prng.js';
import { familyOf, genericFamily, productFamilies, type ProductFamily } from './product-vocabulary.js';

/** Product family by the noun a generated product name ends with (for rows with no category). */
const familyByNoun = new Map<string, ProductFamily>();
for (const family of Object.values(productFamilies) as ProductFamily[]) {
  for (const noun of family.nouns) familyByNoun.set(noun, family);
}
const allFamilies = Object.values(productFamilies) as ProductFamily[];

/**
 * Where a row's product family comes from: its category column if the schema has one, else
 * the noun its name column ends with (so name, description and features agree).
 */
export interface FamilySource {
  categoryField?: string;
  nameField?: string;
}

export function familyForRow(row: Record<string, unknown>, source: FamilySource, rng: Prng): ProductFamily {
  if (source.categoryField !== undefined) return familyOf(row[source.categoryField]);
  const name = source.nameField !== undefined ? row[source.nameField] : undefined;
  if (typeof name === 'string') {
    const words = name.split(' ');
    for (let n = 1; n <= 3 && n <= words.length; n++) {
      const family = familyByNoun.get(words.slice(-n).join(' '));
      if (family) return family;
    }
    return genericFamily;
  }
  return rng.pick(allFamilies);
}

export function productName(family: ProductFamily, rng: Prng): string {
  const noun = rng.pick(family.nouns);
  let adjective = rng.pick(family.adjectives);
  if (family === productFamilies.Books) return `${adjective} ${noun}`;
  // "Bluetooth Bluetooth Speaker": the noun already says it.
  if (noun.includes(adjective)) adjective = family.adjectives[(family.adjectives.indexOf(adjective) + 1) % family.adjectives.length];
  const r = rng.next();
  if (r < 0.35) return `${rng.pick(family.brands)} ${adjective} ${noun}`;
  if (r < 0.45) {
    const second = rng.pick(family.adjectives);
    return second === adjective || noun.includes(second) ? `${adjective} ${noun}` : `${adjective} ${second} ${noun}`;
  }
  if (r < 0.7 && family === productFamilies.Electronics) return `${adjective} ${noun} ${String.fromCharCode(65 + rng.int(0, 25))}${rng.int(1, 9) * 100}`;
  return `${adjective} ${noun}`;
}

export function productFeature(family: ProductFamily, rng: Prng): string {
  return rng.pick(family.features);
}

const openers = [
  (name: string, use: string) => `${upperFirst(the(name))} is designed for ${use}.`,
  (name: string, use: string) => `Meet ${the(name)}, made for ${use}.`,
  (name: string, use: string) => `A dependable choice for ${use}, ${the(name)} is built to last.`,
  (name: string, use: string) => `Upgrade ${use} with ${the(name)}.`,
] as const;

/** "the Smart Lamp", but "The Last Garden" (a title that brings its own article) as is. */
function the(name: string): string {
  return /^(the|a|an) /i.test(name) ? name : `the ${name}`;
}

function upperFirst(text: string): string {
  return text[0].toUpperCase() + text.slice(1);
}

/** Two sentences: what the product is for, then two of its selling points. */
export function productDescription(family: ProductFamily, name: string | undefined, rng: Prng): string {
  const label = name ?? `${rng.pick(family.adjectives)} ${rng.pick(family.nouns)}`.toLowerCase();
  const use = rng.pick(family.uses);
  const first = rng.pick(family.features);
  let second = rng.pick(family.features);
  if (second === first) second = family.features[(family.features.indexOf(first) + 1) % family.features.length];
  return `${rng.pick(openers)(label, use)} ${first}, plus ${lowerFirst(second)}.`;
}

function lowerFirst(text: string): string {
  // Keep acronyms, units and names ("USB-C", "4K", "Bluetooth 5.3") as they are.
  return /^[A-Z][a-z]/.test(text) && !/^(Bluetooth|Wi-Fi)/.test(text) ? text[0].toLowerCase() + text.slice(1) : text;
}
