import type { ProjectPaths } from '../engine/index.js';
import { displayUri } from './deliver-lineage.js';
import { resolveLineageSettings } from './lineage-settings.js';
import { Outbox } from './outbox.js';
import { RunLinks } from './run-links.js';

/** Number of lineage events waiting in `.synth/outbox/` (for `synth status`). Cheap: one directory listing. */
export function pendingLineageEvents(project: Pick<ProjectPaths, 'stateDir'>): number {
  return new Outbox(project.stateDir).count();
}

/** Number of events MLflow rejected for good, kept in `.synth/outbox/failed/` (for `synth status`). Cheap: one directory listing. */
export function failedLineageEvents(project: Pick<ProjectPaths, 'stateDir'>): number {
  return new Outbox(project.stateDir).failedCount();
}

/** The MLflow run of a delivered materialization, with its link in the MLflow UI. */
export interface MlflowRunLink {
  run_id: string;
  /** `<tracking uri>/#/experiments/<id>/runs/<run id>` */
  url: string;
}

/**
 * The MLflow run of a delivered materialization (see {@link mlflowRunLinks}), or null when it was
 * not delivered (yet). For several materializations, call `mlflowRunLinks` once and reuse it.
 */
export function mlflowRunLink(project: Pick<ProjectPaths, 'root' | 'stateDir'>, materializationId: string): MlflowRunLink | null {
  return mlflowRunLinks(project)(materializationId);
}

/**
 * A lookup of the MLflow run of each delivered materialization, or null when one was not delivered
 * (yet). synth.config.json is read now and `.synth/lineage/runs.jsonl` by the first lookup, each once,
 * so tracing many steps does not re-read them. Prefers the run on the currently configured server.
 */
export function mlflowRunLinks(project: Pick<ProjectPaths, 'root' | 'stateDir'>): (materializationId: string) => MlflowRunLink | null {
  let current: string | undefined;
  try {
    const settings = resolveLineageSettings(project);
    current = settings ? displayUri(settings.trackingUri) : undefined;
  } catch {
    // a bad config file: still show a link delivered earlier
  }
  const links = new RunLinks(project.stateDir);
  return (materializationId) => {
    const link = (current ? links.get(materializationId, current) : undefined) ?? links.get(materializationId);
    if (!link) return null;
    return { run_id: link.run_id, url: `${link.tracking_uri}/#/experiments/${link.experiment_id}/runs/${link.run_id}` };
  };
}
