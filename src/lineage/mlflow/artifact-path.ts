import { MlflowError, MlflowErrorCode } from './mlflow-error.js';

/** Route of the server's artifact proxy. */
export const ARTIFACT_PROXY_ROUTE = '/api/2.0/mlflow-artifacts/artifacts';

/**
 * Turns a run's (or logged model's) `artifact_uri` and a relative path into the proxy path to PUT:
 * `mlflow-artifacts:/1/<run>/artifacts` + `data/rows.jsonl` ->
 * `/api/2.0/mlflow-artifacts/artifacts/1/<run>/artifacts/data/rows.jsonl`.
 * Rejects what the server would reject (`..`, absolute paths) before sending anything.
 */
export function artifactProxyPath(artifactUri: string, relPath: string): string {
  const endpoint = `PUT ${ARTIFACT_PROXY_ROUTE}`;
  const match = /^mlflow-artifacts:(?:\/\/[^/]*)?(\/.*)?$/.exec(artifactUri);
  if (!match) {
    throw new MlflowError({
      errorCode: MlflowErrorCode.INVALID_INPUT,
      endpoint,
      message: `artifact URI ${JSON.stringify(artifactUri)} is not an mlflow-artifacts: URI`,
      what: 'The run stores artifacts somewhere this client cannot upload to through the server.',
      why: "Uploads go through the tracking server's artifact proxy, which gives runs URIs like mlflow-artifacts:/<exp>/<run>/artifacts.",
      fix: 'Start the server with --artifacts-destination (and without --no-serve-artifacts or --default-artifact-root), then create a new experiment.',
    });
  }
  const base = (match[1] ?? '').split('/').filter(Boolean);
  const rel = relPath.split('/').filter((s) => s !== '' && s !== '.');
  if (relPath.startsWith('/') || rel.includes('..') || rel.length === 0) {
    throw new MlflowError({
      errorCode: MlflowErrorCode.INVALID_INPUT,
      endpoint,
      message: `artifact path ${JSON.stringify(relPath)} is empty, absolute or contains '..'`,
      what: "An artifact path must be relative and stay inside the run's artifact folder.",
      fix: 'Pass a path such as "data/rows.jsonl".',
    });
  }
  return `${ARTIFACT_PROXY_ROUTE}/${[...base, ...rel].map(encodeURIComponent).join('/')}`;
}
