import { didYouMeanText, problemFromError, type DefinitionProblem } from '../../engine/index.js';
import type { GeneratorDefinitionRequest } from '../generator.js';
import { readColumnHints } from './column-hints.js';
import { describeField, type FieldSpec } from './field-spec.js';
import { readGeneratorOptions } from './generator-options.js';

/**
 * The local generator's checks of a dataset before anything runs: its options (unknown keys,
 * `fit.by`), and every column hint (keys, faker paths, template placeholders, ranges against
 * the schema) exactly as generation will read them. Loads faker's base locale only.
 */
export function localDefinitionProblem(request: GeneratorDefinitionRequest): DefinitionProblem | undefined {
  const { asset, schema, prompt, config } = request;
  const fields = Object.keys(schema.shape);
  try {
    const by = readGeneratorOptions(config, asset).fit?.by;
    if (by !== undefined && !fields.includes(by)) {
      return {
        asset,
        what: `generator.fit.by names "${by}", which is not a field of dataset "${asset}".`,
        why: `Fields: ${fields.join(', ')}.`,
        fix: `${didYouMeanText(by, fields).trim()} Use one of the fields.`.trim(),
        near: by,
      };
    }
  } catch (err) {
    return { ...problemFromError(err), near: /\bgenerator\s*:/ };
  }
  let specs: Record<string, FieldSpec>;
  try {
    specs = Object.fromEntries(fields.map((f) => [f, describeField(f, schema.shape[f], asset)]));
  } catch {
    // A schema type the local generator cannot draw is reported when it runs, with its own message.
    return undefined;
  }
  try {
    readColumnHints(prompt, specs);
  } catch (err) {
    return problemFromError(err);
  }
  return undefined;
}
