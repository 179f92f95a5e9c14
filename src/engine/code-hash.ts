import { z } from 'zod';
import { hashJson, sha256 } from './hashing.js';

/**
 * A hash of functions' source text, whitespace runs folded: the code part of the cache key of
 * assets defined by a function (helpers it calls are not seen, hence `codeVersion`).
 */
export function functionSourceHash(...fns: (((...a: never[]) => unknown) | undefined)[]): string {
  return sha256(fns.map((f) => (f ? f.toString().replace(/\s+/g, ' ') : '')).join('\n'));
}

const schemaHashes = new WeakMap<object, string>();

/** A hash of a zod row schema: zod 4's JSON Schema export is canonical for the shape, checks and descriptions of the rows. */
export function schemaHash(schema: object): string {
  let hash = schemaHashes.get(schema);
  if (!hash) {
    try {
      hash = hashJson(z.toJSONSchema(schema as z.ZodType, { unrepresentable: 'any' }));
    } catch {
      // A schema JSON Schema can't express (e.g. custom refinements): its field names still count.
      hash = hashJson(Object.keys((schema as { shape: object }).shape));
    }
    schemaHashes.set(schema, hash);
  }
  return hash;
}
