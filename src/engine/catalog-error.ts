import { SynthError } from './errors.js';

/** Raised when `.synth/catalog.json` cannot be used (damaged, edited by hand, or written by a newer synthgraph): bad input, exit 2. */
export class CatalogError extends SynthError {
  override readonly exitCode = 2;
}
