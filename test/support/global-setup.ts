import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { startMlflowServer } from './mlflow-server.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));

declare module 'vitest' {
  export interface ProvidedContext {
    /** Tracking URI of the real MLflow server started for this test run. */
    mlflowUri: string;
  }
}

/**
 * Builds dist/ once, so that tests run the real `synth` executable as users do, and starts one
 * real MLflow server (from the project's .venv) shared by the lineage tests. If MLflow cannot
 * start, the whole run fails: lineage tests never skip.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: repo, stdio: 'inherit' });
  const server = await startMlflowServer();
  project.provide('mlflowUri', server.uri);
  return async () => {
    await server.destroy();
  };
}
