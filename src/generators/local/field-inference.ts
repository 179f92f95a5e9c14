import type { NumberSpec, StringSpec } from './field-spec.js';
import type { NumberRecipe } from './number-sampler.js';

/**
 * How to fill a text column that has no hint, guessed from its name, description and format.
 * `product-*` recipes use the category-aware product vocabulary.
 */
export type TextRecipe =
  | { kind: 'product-name' | 'product-description' | 'product-feature' | 'product-category' | 'product-brand' }
  | { kind: 'faker'; path: string }
  | { kind: 'iso-datetime' | 'iso-date' | 'birth-date' | 'iso-time' | 'code' | 'words' };

/** How to fill a numeric column that has no hint. `sequence` numbers rows 1, 2, 3... */
export type NumberInference = NumberRecipe | 'sequence';

/** Lower-case words of a field's name and description, e.g. `Body Mass (g)` -> `body mass g`. */
export function wordsOf(field: string, description?: string): string {
  const split = (s: string) =>
    s
      .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, ' ')
      .trim();
  return ` ${split(field)} ${description ? split(description) : ''} `;
}

const has = (words: string, pattern: RegExp) => pattern.test(words);

/** Inference order matters: the first match wins (e.g. `email` before `name` for `email_name`). */
export function inferText(field: string, spec: StringSpec, product: boolean): TextRecipe {
  const format = spec.format;
  const name = wordsOf(field, undefined);
  const all = wordsOf(field, spec.description);
  if (format === 'email' || has(name, / e ?mail/)) return { kind: 'faker', path: 'internet.email' };
  if (format === 'uuid' || format === 'guid' || has(name, / (uuid|guid) /)) return { kind: 'faker', path: 'string.uuid' };
  if (format === 'url' || has(name, / (url|website|link|homepage|uri) /)) return { kind: 'faker', path: 'internet.url' };
  if (format === 'datetime' || has(name, / (timestamp|datetime|created|updated|modified) /)) return { kind: 'iso-datetime' };
  if (has(name, / (birthday|birthdate|birth date|dob|born) /)) return { kind: 'birth-date' };
  if (format === 'date' || has(name, / (date|day) /)) return { kind: 'iso-date' };
  if (format === 'time') return { kind: 'iso-time' };
  if (format === 'ipv4') return { kind: 'faker', path: 'internet.ipv4' };
  if (format === 'ipv6') return { kind: 'faker', path: 'internet.ipv6' };
  if (format === 'nanoid' || format === 'cuid' || format === 'cuid2' || format === 'ulid') return { kind: 'faker', path: 'string.nanoid' };
  if (has(name, / id /)) return { kind: 'faker', path: 'string.uuid' };
  if (has(name, / (first name|firstname|given name|forename) /)) return { kind: 'faker', path: 'person.firstName' };
  if (has(name, / (last name|lastname|surname|family name) /)) return { kind: 'faker', path: 'person.lastName' };
  if (has(name, / (username|user name|handle|login) /)) return { kind: 'faker', path: 'internet.username' };
  if (has(name, / (phone|mobile|telephone) /)) return { kind: 'faker', path: 'phone.number' };
  if (has(name, / (city|town) /)) return { kind: 'faker', path: 'location.city' };
  if (has(name, / country /)) return { kind: 'faker', path: 'location.country' };
  if (has(name, / (state|province|region) /)) return { kind: 'faker', path: 'location.state' };
  if (has(name, / (address|street) /)) return { kind: 'faker', path: 'location.streetAddress' };
  if (has(name, / (zip|postal|postcode) /)) return { kind: 'faker', path: 'location.zipCode' };
  if (has(name, / (colou?r) /)) return { kind: 'faker', path: 'color.human' };
  if (has(name, / currency /)) return { kind: 'faker', path: 'finance.currencyCode' };
  if (has(name, / (job|occupation|profession|role) /)) return { kind: 'faker', path: 'person.jobTitle' };
  if (has(name, / (author|customer|person|employee|owner|manager|reviewer|full name|contact) /)) return { kind: 'faker', path: 'person.fullName' };
  if (has(name, / (company|employer|organi[sz]ation) /)) return { kind: 'faker', path: 'company.name' };
  if (has(name, / (brand|manufacturer|vendor|maker) /)) return product ? { kind: 'product-brand' } : { kind: 'faker', path: 'company.name' };
  if (has(name, / (category|department|genre|segment) /)) return product ? { kind: 'product-category' } : { kind: 'faker', path: 'commerce.department' };
  if (has(name, / (feature|features|benefit|highlight|spec|specs) /)) return product ? { kind: 'product-feature' } : { kind: 'faker', path: 'company.buzzPhrase' };
  if (has(name, / (tag|tags|keyword|keywords|label|labels) /)) return { kind: 'faker', path: 'word.noun' };
  if (has(name, / (description|summary|details|about|overview|blurb|copy) /)) return product ? { kind: 'product-description' } : { kind: 'faker', path: 'lorem.sentence' };
  if (has(name, / (review|comment|text|content|body|notes?|message|bio|feedback) /)) return { kind: 'faker', path: 'lorem.sentences' };
  if (has(name, / (name|title|product|item) /)) {
    if (product || has(all, / (product|item|sku) /)) return { kind: 'product-name' };
    if (has(all, / (book|novel) /)) return { kind: 'faker', path: 'book.title' };
    if (has(name, / title /)) return { kind: 'faker', path: 'lorem.sentence' };
    return { kind: 'faker', path: 'person.fullName' };
  }
  // A fixed-length string with no telling name is a code, not a truncated word.
  if (spec.maxLength !== undefined && spec.minLength === spec.maxLength) return { kind: 'code' };
  return { kind: 'words' };
}

export function inferNumber(field: string, spec: NumberSpec): NumberInference {
  const name = wordsOf(field, undefined);
  const decimals = spec.int ? 0 : 2;
  if (spec.int && has(name, / (id|index|idx|number|no|row) /)) return 'sequence';
  if (has(name, / (salary|income|wage) /)) return { distribution: 'normal', mean: 60000, std: 20000, min: 15000, decimals: 0 };
  if (has(name, / (price|cost|amount|fee|total|revenue|spend|value|usd|eur) /)) return { distribution: 'lognormal', mean: 40, std: 35, decimals };
  if (has(name, / age /)) return { distribution: 'normal', mean: 38, std: 14, min: 18, max: 90, decimals: 0 };
  if (has(name, / (rating|stars) /)) return spec.int ? { distribution: 'uniform', min: 1, max: 5 } : { distribution: 'normal', mean: 4, std: 0.7, min: 1, max: 5, decimals: 1 };
  if (has(name, / (quantity|qty|count|stock|inventory|units) /)) return { distribution: 'lognormal', mean: 25, std: 30, min: 0, decimals: 0 };
  if (has(name, / year /)) return { distribution: 'uniform', min: 1980, max: 2025, decimals: 0 };
  if (has(name, / (percent|percentage|pct|discount) /)) return { distribution: 'uniform', min: 0, max: 100, decimals: spec.int ? 0 : 1 };
  if (has(name, / (ratio|probability|share|fraction) /)) return { distribution: 'uniform', min: 0, max: 1, decimals: spec.int ? 0 : 3 };
  if (has(name, / (lat|latitude) /)) return { distribution: 'uniform', min: -90, max: 90, decimals: spec.int ? 0 : 6 };
  if (has(name, / (lon|lng|longitude) /)) return { distribution: 'uniform', min: -180, max: 180, decimals: spec.int ? 0 : 6 };
  if (has(name, / (weight|kg|mass) /)) return { distribution: 'lognormal', mean: 5, std: 4, decimals };
  if (has(name, / (score|grade) /)) return { distribution: 'normal', mean: 70, std: 15, min: 0, max: 100, decimals };
  return { distribution: 'uniform', decimals };
}

/** Share of `true` for a boolean column with no hint (flags that are usually on, mostly on). */
export function inferTrueRate(field: string): number {
  return / (active|available|in stock|enabled|verified|valid) /.test(wordsOf(field)) ? 0.8 : 0.5;
}
