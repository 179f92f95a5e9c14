import { z } from 'zod';
import { zodResponseFormat } from 'openai/helpers/zod';
import { UsageError, type RowSchema } from '../../engine/index.js';
import { StructuredOutput } from './config.js';

type JsonSchema = Record<string, unknown>;

/** What a request says about the shape of its answer. */
export interface BatchFormat {
  /** The `response_format` request field (plain JSON: it is hashed into the cache key). */
  responseFormat: { type: 'json_schema'; json_schema: { name: string; strict: boolean; schema: JsonSchema } } | { type: 'json_object' };
  /** JSON schema of one row, for the prompt (always given in json_object mode, where the server does not see it otherwise). */
  rowJsonSchema: JsonSchema;
  /** One line per field: name, type, constraints, description. */
  fieldDescriptions: string[];
}

/** Name of the response format: the answer is always `{ "rows": [...] }`. */
export const BATCH_FORMAT_NAME = 'rows';

/**
 * Builds the response format of a batch request. json_schema mode uses the SDK's
 * `zodResponseFormat` on `{ rows: Row[] }`, so the schema is exactly what the SDK would send
 * (strict: every field required, no additional properties). We keep only its JSON (no
 * `$parseRaw`): rows are parsed one by one by us, so one bad row does not cost the batch.
 */
export function buildBatchFormat(schema: RowSchema, mode: (typeof StructuredOutput)[keyof typeof StructuredOutput], asset: string): BatchFormat {
  let rowJsonSchema: JsonSchema;
  try {
    rowJsonSchema = z.toJSONSchema(schema as unknown as z.ZodType, { target: 'draft-7', io: 'input', unrepresentable: 'any' }) as JsonSchema;
  } catch (err) {
    throw schemaError(asset, (err as Error).message, 'Use JSON-representable zod types (strings, numbers, booleans, enums, arrays, objects).');
  }
  delete rowJsonSchema.$schema;
  const fieldDescriptions = describeFields(rowJsonSchema);
  if (mode === StructuredOutput.jsonObject) return { responseFormat: { type: 'json_object' }, rowJsonSchema, fieldDescriptions };
  let format: ReturnType<typeof zodResponseFormat>;
  try {
    format = zodResponseFormat(z.object({ rows: z.array(schema as unknown as z.ZodType) }), BATCH_FORMAT_NAME);
  } catch (err) {
    throw schemaError(
      asset,
      (err as Error).message,
      "Make every field required (use .nullable() instead of .optional()), or set structuredOutput: 'json_object' in the generator config.",
    );
  }
  const jsonSchema = format.json_schema;
  return {
    responseFormat: {
      type: 'json_schema',
      json_schema: { name: jsonSchema.name, strict: jsonSchema.strict ?? true, schema: JSON.parse(JSON.stringify(jsonSchema.schema)) as JsonSchema },
    },
    rowJsonSchema,
    fieldDescriptions,
  };
}

function schemaError(asset: string, why: string, fix: string): UsageError {
  return new UsageError({ what: `The row schema of dataset '${asset}' cannot be sent as a structured-output JSON schema`, why, fix, asset });
}

/** `- price (number, > 0): price in USD` lines for the prompt. */
export function describeFields(rowJsonSchema: JsonSchema): string[] {
  const props = (rowJsonSchema.properties ?? {}) as Record<string, JsonSchema>;
  return Object.entries(props).map(([name, prop]) => {
    const desc = typeof prop.description === 'string' ? `: ${prop.description}` : '';
    return `- ${name} (${describeType(prop)})${desc}`;
  });
}

function describeType(prop: JsonSchema): string {
  if (Array.isArray(prop.enum)) return `one of ${prop.enum.map((v) => JSON.stringify(v)).join(', ')}`;
  if ('const' in prop) return `always ${JSON.stringify(prop.const)}`;
  if (Array.isArray(prop.anyOf)) return (prop.anyOf as JsonSchema[]).map(describeType).join(' or ');
  const type = Array.isArray(prop.type) ? prop.type.join(' or ') : String(prop.type ?? 'any');
  const bounds: string[] = [];
  const num = (k: string) => typeof prop[k] === 'number' && Math.abs(prop[k] as number) < Number.MAX_SAFE_INTEGER;
  if (num('minimum')) bounds.push(`>= ${prop.minimum}`);
  if (num('exclusiveMinimum')) bounds.push(`> ${prop.exclusiveMinimum}`);
  if (num('maximum')) bounds.push(`<= ${prop.maximum}`);
  if (num('exclusiveMaximum')) bounds.push(`< ${prop.exclusiveMaximum}`);
  if (typeof prop.minLength === 'number') bounds.push(`at least ${prop.minLength} characters`);
  if (typeof prop.maxLength === 'number') bounds.push(`at most ${prop.maxLength} characters`);
  if (typeof prop.format === 'string') bounds.push(`format ${prop.format}`);
  if (type === 'array') {
    const items = prop.items as JsonSchema | undefined;
    const count = [typeof prop.minItems === 'number' ? `at least ${prop.minItems}` : '', typeof prop.maxItems === 'number' ? `at most ${prop.maxItems}` : ''].filter(Boolean).join(', ');
    return `array of ${items ? describeType(items) : 'any'}${count ? `, ${count} items` : ''}`;
  }
  return bounds.length ? `${type}, ${bounds.join(', ')}` : type;
}
