import path from 'node:path';
import { Catalog, type CatalogData } from '../../src/engine/catalog.js';

/** Every record of a project's catalog (state, history segments and runs), read as the commands read it. */
export function readCatalogData(dir: string): CatalogData {
  const catalog = new Catalog(path.join(dir, '.synth'));
  catalog.loadSync();
  return catalog.readAll();
}
