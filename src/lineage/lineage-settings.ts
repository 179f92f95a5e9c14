import { readFileSync } from 'node:fs';
import path from 'node:path';
// Single engine modules, not the index: a no-op `synth materialize` checks this setting before loading the engine.
import { type MlflowConfig, loadProjectConfig } from '../engine/project-config.js';
import type { ProjectPaths } from '../engine/project-paths.js';

/** Where lineage goes, once config and environment are combined. */
export interface LineageSettings extends Omit<MlflowConfig, 'trackingUri' | 'experiment' | 'enabled'> {
  /** Tracking server URI: MLFLOW_TRACKING_URI, else `mlflow.trackingUri` of synth.config.json. */
  trackingUri: string;
  /** Experiment name: `mlflow.experiment`, else the package.json name, else the project folder name. */
  experiment: string;
}

/**
 * The project's lineage settings, or undefined when lineage is off: no tracking URI in the
 * environment nor in synth.config.json, or `mlflow.enabled: false`. Throws UsageError on a bad config file.
 */
export function resolveLineageSettings(project: Pick<ProjectPaths, 'root'>, env: NodeJS.ProcessEnv = process.env): LineageSettings | undefined {
  const { mlflow } = loadProjectConfig(project.root);
  const trackingUri = env.MLFLOW_TRACKING_URI?.trim() || mlflow.trackingUri;
  if (!mlflow.enabled || !trackingUri) return undefined;
  const { enabled: _enabled, trackingUri: _uri, experiment, ...rest } = mlflow;
  return { ...rest, trackingUri: trackingUri.replace(/\/+$/, ''), experiment: experiment ?? projectName(project.root) };
}

/** The package.json name of the project, else its folder name. */
export function projectName(root: string): string {
  try {
    const name = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { name?: unknown }).name;
    if (typeof name === 'string' && name.trim()) return name.trim();
  } catch {
    // no or unreadable package.json: fall back to the folder name
  }
  return path.basename(path.resolve(root));
}
