import type { ProjectPaths } from '../engine/index.js';
import { displayUri } from './deliver-lineage.js';
import { resolveLineageSettings } from './lineage-settings.js';
import { Outbox } from './outbox.js';
import { RunLinks } from './run-links.js';

/** Number of lineage events waiting in `.synth/outbox/` (for `synth status`). Cheap: one directory listing. */
export function pendingLineageEvents(project: Pick<ProjectPaths, 'stateDir'>): number {
  return new Outbox(project.stateDir).count();
}

/** Number of events MLflow rejected for good, kept in `.synth/outbox/failed/`. */
export function failedLineageEvents(project: Pick<ProjectPaths, 'stateDir'>): number {
  return new Outbox(project.stateDir).failed().length;
}

/**
 * The MLflow run of a delivered materialization, with its link in the MLflow UI
 * (`<tracking uri>/#/experiments/<id>/runs/<run id>`), or null when it was not delivered (yet).
 * Prefers the run on the currently configured server.
 */
export function mlflowRunLink(project: Pick<ProjectPaths, 'root' | 'stateDir'>, materializationId: string): { run_id: string; url: string } | null {
  let current: string | undefined;
  try {
    const settings = resolveLineageSettings(project);
    current = settings ? displayUri(settings.trackingUri) : undefined;
  } catch {
    // a bad config file: still show a link delivered earlier
  }
  const links = new RunLinks(project.stateDir);
  const link = (current ? links.get(materializationId, current) : undefined) ?? links.get(materializationId);
  if (!link) return null;
  return { run_id: link.run_id, url: `${link.tracking_uri}/#/experiments/${link.experiment_id}/runs/${link.run_id}` };
}
