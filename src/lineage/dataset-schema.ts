import { z } from 'zod';

/** One column of MLflow's `mlflow_colspec` (what the MLflow UI shows as a dataset's schema). */
interface ColSpec {
  name: string;
  type: string | { type: 'array'; items: { type: string } };
  required: boolean;
}

type JsonSchema = { type?: string | string[]; anyOf?: JsonSchema[]; items?: JsonSchema; enum?: unknown[]; properties?: Record<string, JsonSchema>; required?: string[] };

/**
 * A dataset schema as MLflow stores it: `mlflow_colspec` (read by MLflow's UI and Python client)
 * plus the full JSON Schema of a row (`json_schema`, from `z.toJSONSchema`), or null when the asset
 * has no zod object schema.
 */
export function datasetSchemaOf(schema: unknown): Record<string, unknown> | null {
  if (!schema || typeof schema !== 'object' || !('_zod' in schema)) return null;
  let json: JsonSchema;
  try {
    json = z.toJSONSchema(schema as z.ZodType, { unrepresentable: 'any', io: 'output' }) as JsonSchema;
  } catch {
    return null;
  }
  const required = new Set(json.required ?? []);
  const colspec: ColSpec[] = Object.entries(json.properties ?? {}).map(([name, prop]) => {
    const { type, nullable } = mlflowType(prop);
    return { name, type, required: required.has(name) && !nullable };
  });
  return { mlflow_colspec: colspec, json_schema: json };
}

function mlflowType(prop: JsonSchema): { type: ColSpec['type']; nullable: boolean } {
  const variants = prop.anyOf ?? [prop];
  const nullable = variants.some((v) => v.type === 'null' || (Array.isArray(v.type) && v.type.includes('null')));
  const main = variants.find((v) => v.type !== 'null') ?? prop;
  const t = Array.isArray(main.type) ? main.type.find((x) => x !== 'null') : main.type;
  switch (t) {
    case 'integer':
      return { type: 'long', nullable };
    case 'number':
      return { type: 'double', nullable };
    case 'boolean':
      return { type: 'boolean', nullable };
    case 'array':
      return { type: { type: 'array', items: { type: scalar(main.items) } }, nullable };
    // Nested objects have no flat column type MLflow's UI can show; they are described in json_schema.
    default:
      return { type: 'string', nullable };
  }
}

function scalar(item: JsonSchema | undefined): string {
  const t = Array.isArray(item?.type) ? item.type[0] : item?.type;
  return t === 'integer' ? 'long' : t === 'number' ? 'double' : t === 'boolean' ? 'boolean' : 'string';
}
