import { closest } from 'fastest-levenshtein';
import { PromptFileError } from '../engine/index.js';

/** `{{ name }}` with optional spaces; names are identifiers, dots and dashes allowed. */
const PLACEHOLDER = /\{\{\s*([A-Za-z_][\w.-]*)\s*\}\}/g;

/** Where a template is written, for error messages. */
export interface TemplateLocation {
  /** Absolute path of the prompt file. */
  file?: string;
  /** 1-based line of the `template:` key. */
  line?: number;
}

/** Names of the placeholders a template uses, in order, without duplicates. */
export function templatePlaceholders(template: string): string[] {
  return [...new Set(Array.from(template.matchAll(PLACEHOLDER), (m) => m[1]))];
}

function show(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return JSON.stringify(value);
}

/**
 * Replaces `{{name}}` placeholders with `vars[name]` (strings as is, other values as JSON).
 * @throws PromptFileError naming every placeholder that has no value.
 */
export function renderTemplate(template: string, vars: Record<string, unknown>, where: TemplateLocation = {}): string {
  const missing = templatePlaceholders(template).filter((name) => !Object.hasOwn(vars, name) || vars[name] === undefined);
  if (missing.length > 0) {
    const known = Object.keys(vars).filter((k) => vars[k] !== undefined);
    const hints = known.length > 0 ? missing.map((m) => `{{${m}}} -> did you mean {{${closest(m, known)}}}?`).join(' ') : '';
    throw new PromptFileError({
      what: `The template uses ${missing.map((m) => `{{${m}}}`).join(', ')}, which ${missing.length === 1 ? 'has' : 'have'} no value.`,
      why: known.length > 0 ? `The values available are: ${known.join(', ')}.` : 'No values were given to the template.',
      fix: `${hints ? `${hints} ` : ''}Add ${missing.map((m) => `"${m}"`).join(', ')} under "variables:" in the prompt file, or remove the placeholder from the template.`,
      file: where.file,
      line: where.line,
    });
  }
  return template.replace(PLACEHOLDER, (_, name: string) => show(vars[name]));
}
