import { ObjectStore } from '../engine/index.js';

/**
 * What coordinators and workers need of the shared object store: content-addressed objects,
 * written whole or not at all (temp file + rename), read back checked against their hash.
 * Two workers writing the same object write the same bytes under the same name, so it is harmless.
 * The LLM response cache follows the same rule (one file per request key, temp + rename).
 */
export interface SharedStore {
  /** Where it is, for messages. */
  readonly dir: string;
  /** Stores bytes under their sha256 and returns it. */
  put(data: string | Uint8Array): string;
  /** Reads an object, checked against its hash. */
  getText(hash: string): string;
  /** Reads an object's bytes (images and other objects a value refers to), checked against its hash. */
  get(hash: string): Buffer;
}

/**
 * The shared store of a project: its `.synth/objects` folder, on a path every machine mounts
 * (NFS, EFS...). An S3-compatible store would implement the same three methods (see the README,
 * "Workers on many machines").
 */
export function pathStore(stateDir: string): SharedStore {
  return ObjectStore.of(stateDir);
}
