/**
 * Runs MLflow's own Python client against a server, to check what was logged the way users see it.
 *
 * The code runs with `client` (an `mlflow.MlflowClient(uri)`), `mlflow` and `plain(obj)` (MLflow
 * entities to dicts) in scope, and must assign `result`; it comes back parsed from JSON.
 * @example
 * const params = await runMlflowPy(uri, `result = client.get_run(${JSON.stringify(runId)}).data.params`);
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const VENV_PYTHON = join(REPO_ROOT, '.venv', 'bin', 'python');
const MARKER = '__SYNTHGRAPH_MLFLOW_PY_RESULT__';

const PRELUDE = `
import json, math, os, sys, enum
import mlflow
from mlflow import MlflowClient
from mlflow.entities._mlflow_object import _MlflowObject

client = MlflowClient(tracking_uri=os.environ["MLFLOW_TRACKING_URI"])

def plain(o):
    if isinstance(o, float) and not math.isfinite(o):
        return repr(o)
    if isinstance(o, (str, int, float, bool)) or o is None:
        return o
    if isinstance(o, enum.Enum):
        return o.name
    if isinstance(o, dict):
        return {str(k): plain(v) for k, v in o.items()}
    if isinstance(o, (list, tuple, set)):
        return [plain(v) for v in o]
    if isinstance(o, _MlflowObject):
        return {k: plain(v) for k, v in o}
    if hasattr(o, "to_dictionary"):
        return plain(o.to_dictionary())
    if hasattr(o, "__dict__"):
        return {k.lstrip("_"): plain(v) for k, v in vars(o).items()}
    return str(o)

result = None
`;

const EPILOGUE = `
sys.stdout.write("\\n${MARKER}" + json.dumps(plain(result), allow_nan=False, default=str) + "\\n")
`;

/** Runs `pythonCode` (which assigns `result`) against the server at `uri` and returns `result`. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the Python snippet decides the result's shape; tests read its fields directly
export function runMlflowPy<T = any>(uri: string, pythonCode: string, timeoutMs = 120_000): Promise<T> {
  if (!existsSync(VENV_PYTHON)) {
    return Promise.reject(new Error(`${VENV_PYTHON} is missing. Run: bash scripts/setup-mlflow.sh`));
  }
  const script = `${PRELUDE}\n${pythonCode}\n${EPILOGUE}`;
  return new Promise((resolve, reject) => {
    execFile(
      VENV_PYTHON,
      ['-c', script],
      {
        timeout: timeoutMs,
        maxBuffer: 64 * 1024 * 1024,
        env: { ...process.env, MLFLOW_TRACKING_URI: uri, MLFLOW_DISABLE_TELEMETRY: 'true', DO_NOT_TRACK: 'true', PYTHONWARNINGS: 'ignore' },
      },
      (err, stdout, stderr) => {
        const at = stdout.lastIndexOf(MARKER);
        if (err || at < 0) {
          reject(new Error(`MLflow Python check failed${err ? `: ${err.message}` : ''}\n--- code ---\n${pythonCode}\n--- stderr (tail) ---\n${stderr.slice(-4_000)}`));
          return;
        }
        try {
          resolve(JSON.parse(stdout.slice(at + MARKER.length)) as T);
        } catch (parseErr) {
          reject(new Error(`MLflow Python check printed invalid JSON: ${(parseErr as Error).message}`));
        }
      },
    );
  });
}
