import { decodeJsonl, type Materialization, type ObjectStore } from '../engine/index.js';
import { ImageStatus, type ImageManifestRow } from './image-manifest.js';

/** Media types of the formats images are served as. */
export const IMAGE_MEDIA_TYPES: Readonly<Record<string, string>> = { png: 'image/png', jpeg: 'image/jpeg', webp: 'image/webp' };

/** The images of a materialization of an images asset (ok rows only), or [] when it is not one or its manifest is gone. */
export function manifestImages(store: ObjectStore, m: Pick<Materialization, 'kind' | 'data_hash'> | null): ImageManifestRow[] {
  if (!m || m.kind !== 'images' || !m.data_hash || !store.has(m.data_hash)) return [];
  try {
    return (decodeJsonl(store.getText(m.data_hash)) as unknown as ImageManifestRow[]).filter(
      (r) => r.status === ImageStatus.ok && r.sha256 && r.format && Object.hasOwn(IMAGE_MEDIA_TYPES, r.format),
    );
  } catch {
    return [];
  }
}
