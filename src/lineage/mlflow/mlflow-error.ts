import { SynthError } from '../../engine/index.js';

/**
 * Error codes an {@link MlflowError} can carry: MLflow's own `error_code` values, plus codes for
 * failures that never got an MLflow JSON answer (connection, plain-text 403, bad response, bad input).
 */
export const MlflowErrorCode = {
  RESOURCE_DOES_NOT_EXIST: 'RESOURCE_DOES_NOT_EXIST',
  RESOURCE_ALREADY_EXISTS: 'RESOURCE_ALREADY_EXISTS',
  INVALID_PARAMETER_VALUE: 'INVALID_PARAMETER_VALUE',
  BAD_REQUEST: 'BAD_REQUEST',
  TEMPORARILY_UNAVAILABLE: 'TEMPORARILY_UNAVAILABLE',
  REQUEST_LIMIT_EXCEEDED: 'REQUEST_LIMIT_EXCEEDED',
  INTERNAL_ERROR: 'INTERNAL_ERROR',
  PERMISSION_DENIED: 'PERMISSION_DENIED',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  /** An HTTP error whose body was not MLflow JSON (e.g. a proxy page, a 404 for an unknown route). */
  HTTP_ERROR: 'HTTP_ERROR',
  /** No HTTP answer at all: refused, reset, DNS, timeout. */
  CONNECTION_ERROR: 'CONNECTION_ERROR',
  /** A 2xx answer whose JSON did not have the expected shape. */
  INVALID_RESPONSE: 'INVALID_RESPONSE',
  /** The caller passed something MLflow would reject; nothing was sent. */
  INVALID_INPUT: 'INVALID_INPUT',
  /** The same param key was logged again with a different value (params are immutable). */
  PARAM_VALUE_CHANGED: 'PARAM_VALUE_CHANGED',
  /** The experiment exists but is deleted; MLflow keeps its name reserved. */
  EXPERIMENT_DELETED: 'EXPERIMENT_DELETED',
} as const;
export type MlflowErrorCode = (typeof MlflowErrorCode)[keyof typeof MlflowErrorCode] | (string & {});

export interface MlflowErrorInit {
  /** MLflow's `error_code`, or one of the client-side codes of {@link MlflowErrorCode}. */
  errorCode: MlflowErrorCode;
  /** The server's message (or the connection error's), already stripped of secrets. */
  message: string;
  /** `METHOD path` of the request, without query string or headers. */
  endpoint: string;
  /** HTTP status, absent when no answer arrived. */
  status?: number;
  /** Whether trying the same request again later may succeed. */
  retryable?: boolean;
  /**
   * Whether the failed request may nevertheless have taken effect on the server (e.g. the connection
   * broke after the body was sent). A caller retrying a non-idempotent create must look first.
   */
  maybeApplied?: boolean;
  what?: string;
  why?: string;
  fix?: string;
  cause?: unknown;
}

/** A failed call to the MLflow tracking server. Never carries request headers. */
export class MlflowError extends SynthError {
  /** HTTP status, or undefined for connection failures and client-side checks. */
  readonly status?: number;
  /** MLflow's `error_code` or a client-side code, see {@link MlflowErrorCode}. */
  readonly errorCode: MlflowErrorCode;
  /** The server's message. */
  readonly mlflowMessage: string;
  /** `METHOD path` of the failed request. */
  readonly endpoint: string;
  /** See {@link MlflowErrorInit.maybeApplied}. */
  readonly maybeApplied: boolean;
  override readonly retryable: boolean;

  constructor(init: MlflowErrorInit) {
    super({
      what: init.what ?? `MLflow request ${init.endpoint} failed with ${init.errorCode}${init.status ? ` (HTTP ${init.status})` : ''}.`,
      why: init.why ?? init.message,
      fix: init.fix ?? defaultFix(init.errorCode, init.status),
      cause: init.cause,
    });
    this.status = init.status;
    this.errorCode = init.errorCode;
    this.mlflowMessage = init.message;
    this.endpoint = init.endpoint;
    this.retryable = init.retryable ?? false;
    this.maybeApplied = init.maybeApplied ?? false;
  }
}

function defaultFix(code: MlflowErrorCode, status: number | undefined): string | undefined {
  switch (code) {
    case MlflowErrorCode.CONNECTION_ERROR:
      return 'Start the MLflow tracking server or point MLFLOW_TRACKING_URI at a running one (lineage is delivered again later).';
    case MlflowErrorCode.PERMISSION_DENIED:
      return status === 403
        ? "The server refused the request: check the server's --allowed-hosts / --cors-allowed-origins, or MLFLOW_TRACKING_TOKEN."
        : 'Check MLFLOW_TRACKING_TOKEN and the permissions of that user.';
    case MlflowErrorCode.UNAUTHENTICATED:
      return 'Set MLFLOW_TRACKING_TOKEN to a valid token for this server.';
    case MlflowErrorCode.RESOURCE_DOES_NOT_EXIST:
      return 'Check the id or name; it may have been deleted on the server.';
    case MlflowErrorCode.TEMPORARILY_UNAVAILABLE:
    case MlflowErrorCode.REQUEST_LIMIT_EXCEEDED:
      return 'The server is busy; the request is retried with backoff.';
    default:
      return undefined;
  }
}

/** Maps an HTTP status to an error code when the body is not MLflow JSON. */
export function errorCodeForStatus(status: number): MlflowErrorCode {
  if (status === 401) return MlflowErrorCode.UNAUTHENTICATED;
  if (status === 403) return MlflowErrorCode.PERMISSION_DENIED;
  // A 404 without MLflow JSON is an unknown route (old server, wrong base path), not a missing resource.
  if (status === 429) return MlflowErrorCode.REQUEST_LIMIT_EXCEEDED;
  if (status === 503) return MlflowErrorCode.TEMPORARILY_UNAVAILABLE;
  if (status >= 500) return MlflowErrorCode.INTERNAL_ERROR;
  return MlflowErrorCode.HTTP_ERROR;
}

/** True when `err` is an {@link MlflowError} with one of the given codes. */
export function isMlflowError(err: unknown, ...codes: MlflowErrorCode[]): err is MlflowError {
  return err instanceof MlflowError && (codes.length === 0 || codes.includes(err.errorCode));
}
