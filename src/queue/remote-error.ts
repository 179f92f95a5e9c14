import { isRetryable, isSynthError, SynthError, type SynthErrorInit } from '../engine/index.js';

/** Marks a failed job's reason as one of ours (a JSON error), not BullMQ's own text. */
const MARK = 'synth-error:';

/** An error raised on a worker, as the coordinator sees it: same what/why/fix and exit code. */
export class RemoteJobError extends SynthError {
  override readonly exitCode: number;
  override readonly retryable: boolean;
  constructor(init: SynthErrorInit & { exitCode?: number; retryable?: boolean }) {
    super(init);
    this.exitCode = init.exitCode ?? 1;
    this.retryable = init.retryable ?? false;
  }
}

/** Turns an error into the text BullMQ keeps as the job's failed reason. */
export function encodeJobError(err: unknown): string {
  if (isSynthError(err)) return MARK + JSON.stringify({ what: err.what, why: err.why, fix: err.fix, exitCode: err.exitCode, retryable: err.retryable });
  const message = err instanceof Error ? err.message : String(err);
  return MARK + JSON.stringify({ what: message, retryable: isRetryable(err) });
}

/** The error a failed job's reason stands for (BullMQ's own reasons, e.g. a stalled job, kept as they are). */
export function decodeJobError(reason: string, asset: string, where: string): RemoteJobError {
  if (reason.startsWith(MARK)) {
    try {
      const e = JSON.parse(reason.slice(MARK.length)) as { what: string; why?: string; fix?: string; exitCode?: number; retryable?: boolean };
      return new RemoteJobError({ ...e, asset });
    } catch {
      // fall through: shown as it is
    }
  }
  return new RemoteJobError({
    what: `The queued job for "${asset}" failed: ${reason}`,
    why: `Reported by BullMQ on ${where}.`,
    fix: "See the workers' output; run `synth materialize` again once it is fixed.",
    asset,
  });
}
