import { Catalog, type Materialization, type EngineEvent, type EventListener, type Project } from '../engine/index.js';
import { readGitCommit } from './git-commit.js';
import { buildLineageEvent } from './lineage-event.js';
import { resolveLineageSettings } from './lineage-settings.js';
import { Outbox } from './outbox.js';
import { SecretScrubber } from './secret-scrubber.js';

/** Options of {@link lineageListener}. */
export interface LineageListenerOptions {
  /** Called when an event cannot be written to the outbox (disk full...). Default: a process warning. */
  onError?: (err: unknown) => void;
  /** Environment to read MLFLOW_TRACKING_URI and secrets from. Default: `process.env`. */
  env?: NodeJS.ProcessEnv;
}

/**
 * An engine event listener that appends every finished materialization (materialized, cached or
 * failed) to the durable outbox, when lineage is configured. It does no network I/O and never throws,
 * so lineage can neither slow down nor fail a materialization; call `deliverLineage` afterwards.
 * When lineage is off it does nothing.
 * @example materialize(project, { onEvent: lineageListener(project) })
 */
export function lineageListener(project: Project, options: LineageListenerOptions = {}): EventListener {
  const onError = options.onError ?? ((err: unknown) => process.emitWarning(`synthgraph: lineage event not recorded: ${(err as Error).message ?? err}`));
  let enabled: boolean;
  try {
    enabled = !!resolveLineageSettings(project, options.env);
  } catch (err) {
    onError(err);
    enabled = false;
  }
  if (!enabled) return () => undefined;
  const outbox = new Outbox(project.stateDir);
  const scrubber = new SecretScrubber(options.env);
  const seen = new Map<string, Materialization>();
  let gitCommit: string | null | undefined;
  let catalog: RecordLookup | null | undefined; // null: unreadable, read once
  const upstreamRecord = (id: string): Materialization | undefined => {
    const here = seen.get(id);
    if (here) return here;
    // Upstreams made by an earlier run: read the catalog once (current records first, the history only if needed).
    catalog ??= readCatalog(project.stateDir);
    return catalog?.get(id);
  };
  return (event: EngineEvent) => {
    if (event.type !== 'asset-finished' || !event.record) return;
    const record = event.record;
    seen.set(record.id, record);
    try {
      gitCommit ??= readGitCommit(project.root);
      const name = Outbox.entryName(`${record.asset}-${record.id}`);
      outbox.append(name, buildLineageEvent(project, record, { id: name.replace(/\.json$/, ''), gitCommit, scrubber, upstreamRecord }));
    } catch (err) {
      onError(err);
    }
  };
}

interface RecordLookup {
  get(id: string): Materialization | undefined;
}

/** The catalog as every command reads it (format checked, migrated), or null when it cannot be read. */
function readCatalog(stateDir: string): RecordLookup | null {
  try {
    const catalog = new Catalog(stateDir);
    catalog.loadSync(); // the listener is called synchronously
    const index = catalog.lookup;
    return {
      get: (id: string) => {
        try {
          return index.get(id);
        } catch {
          return undefined; // a damaged history: upstream inputs are logged without row counts
        }
      },
    };
  } catch {
    // missing or unreadable catalog: upstream inputs are logged without row counts
    return null;
  }
}
