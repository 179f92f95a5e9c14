/** One generated or loaded record. Values are JSON values. */
export type Row = Record<string, unknown>;

/** A zod object schema as the engine sees it (zod 4, possibly another copy of zod than ours). */
export interface RowSchema {
  safeParse(value: unknown): { success: true; data: unknown } | { success: false; error: { issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }> } };
  readonly shape: Record<string, unknown>;
}

/**
 * True when `value` is a zod object schema. Duck-typed on zod 4 internals so that a user's
 * copy of zod (another instance than ours) is accepted.
 */
export function isZodObject(value: unknown): value is RowSchema {
  const v = value as { _zod?: { def?: { type?: string } }; shape?: unknown; safeParse?: unknown } | null;
  return !!v && typeof v.safeParse === 'function' && v._zod?.def?.type === 'object' && typeof v.shape === 'object';
}
