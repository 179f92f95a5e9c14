import { didYouMeanText, type SynthErrorInit } from '../engine/index.js';
import { noiseColumns } from '../noise/index.js';
import type { PromptFile } from './prompt-file.js';

/** The top-level column a rule's field path reads (`dims.width` → `dims`, unless a column is named so). */
export function topLevelField(path: string, fields: readonly string[]): string {
  return fields.includes(path) ? path : path.split('.')[0];
}

/**
 * The first rule or column hint of a prompt file that names a field the dataset's row schema
 * does not have, pointing at its line in the prompt file with the closest field; undefined when
 * every name is a field. Run before anything runs, and again by generators that read the rules.
 */
export function promptFieldProblem(prompt: PromptFile, fields: readonly string[], dataset?: string): SynthErrorInit | undefined {
  const of = dataset ? ` of dataset "${dataset}"` : '';
  for (const rule of prompt.rules) {
    const unknown = rule.fields.map((f) => topLevelField(f, fields)).find((f) => !fields.includes(f));
    if (unknown === undefined) continue;
    return {
      what: `Rule ${rule.index + 1} ("${rule.text}") reads the field "${unknown}", which the row schema${of} does not have.`,
      why: `A rule about a missing field can never be checked. Schema fields: ${fields.join(', ')}.`,
      fix: `${didYouMeanText(unknown, fields).trim()} Fix the field name in the rule, or add "${unknown}" to the schema.`.trim(),
      file: rule.file ?? prompt.file,
      line: rule.line,
      asset: dataset,
    };
  }
  for (const column of Object.keys(prompt.columns)) {
    if (fields.includes(column)) continue;
    const at = prompt.locate(['columns', column]);
    const guess = didYouMeanText(column, fields);
    return {
      what: `Column hint for unknown field "${column}"${of}.`,
      why: `The row schema has no field "${column}"; its fields are: ${fields.join(', ')}.`,
      fix: guess ? `${guess.trim()} Rename the hint under columns:.` : 'Rename the hint to a schema field or remove it.',
      file: at.file,
      line: at.line,
      asset: dataset,
    };
  }
  for (const { column, path } of prompt.noise ? noiseColumns(prompt.noise) : []) {
    if (fields.includes(column)) continue;
    const at = prompt.locate(path);
    return {
      what: `The noise block names the unknown field "${column}" (${path.slice(0, 2).join('.')})${of}.`,
      why: `Noise is applied to columns of the rows; the row schema's fields are: ${fields.join(', ')}.`,
      fix: `${didYouMeanText(column, fields).trim()} Rename it under ${path.slice(0, 2).join('.')}: or remove it.`.trim(),
      file: at.file,
      line: at.line,
      asset: dataset,
    };
  }
  return undefined;
}
