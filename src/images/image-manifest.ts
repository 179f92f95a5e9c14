import { z } from 'zod';

/** Whether a manifest row holds an image or a refusal. */
export const ImageStatus = { ok: 'ok', refused: 'refused' } as const;
export type ImageStatus = (typeof ImageStatus)[keyof typeof ImageStatus];

/**
 * One row of an images asset's value: one image (or one refusal). The bytes are an object of the
 * store, named by `sha256`; `path` is where that object lies below the state folder (`.synth/`).
 */
export const ImageManifestRowSchema = z.object({
  /** Stable id within the asset: `<row>_<n>` (per row) or `<n>` (fixed count). */
  id: z.string(),
  /** 0-based position of the upstream row, or null for a fixed count. */
  row: z.number().int().nullable(),
  /** The upstream row's key (its `rowKey` column as text, else its position), or null. */
  row_key: z.string().nullable(),
  /** The prompt text sent (the template filled from the row). */
  prompt: z.string(),
  /** The prompt the service drew from, when it rewrote it (dall-e-3 does), else null. */
  revised_prompt: z.string().nullable(),
  /** The provider and the model that served the image (`local` for the offline painter). */
  provider: z.string(),
  model: z.string(),
  /** Requested size, `WIDTHxHEIGHT` or `auto`. */
  size: z.string(),
  /** Real size and format read from the image bytes (null for refusals). */
  width: z.number().int().nullable(),
  height: z.number().int().nullable(),
  format: z.string().nullable(),
  bytes: z.number().int().nullable(),
  sha256: z.string().nullable(),
  /** The object's path below the state folder, e.g. `objects/ab/cdef…` (null for refusals). */
  path: z.string().nullable(),
  status: z.enum([ImageStatus.ok, ImageStatus.refused]),
  /** The server's refusal message, for refused rows. */
  refusal: z.string().nullable(),
});
export type ImageManifestRow = z.infer<typeof ImageManifestRowSchema>;

/** True when rows look like an images manifest (the checks, export and show use this to recognise one). */
export function isImageManifest(rows: unknown): rows is ImageManifestRow[] {
  if (!Array.isArray(rows) || rows.length === 0) return false;
  const first = rows[0] as Record<string, unknown> | null;
  return !!first && typeof first === 'object' && 'sha256' in first && 'status' in first && 'prompt' in first && 'row_key' in first;
}
