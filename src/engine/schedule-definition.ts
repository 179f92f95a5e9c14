/** Options of a schedule: a selection materialized periodically by `synth daemon`. */
export interface ScheduleOptions {
  /** Unique schedule name. Example: `'weekly_refresh'`. */
  name: string;
  /** Cron expression, 5 fields or 6 with seconds first. Example: `'0 3 * * 1'` (Mondays at 03:00). */
  cron: string;
  /** Selection to materialize, in the `synth materialize` syntax. Example: `'products+'`. Default: `'*'`. */
  select?: string | string[];
  /** IANA time zone of the expression. Default: `'UTC'` (no DST surprises). Example: `'Europe/Paris'`. */
  timezone?: string;
  /**
   * `'fixed'` keeps each dataset's own seed; `'per-run'` derives a new seed from the scheduled fire time
   * (recorded with the run, so it is reproducible). Default: `'fixed'`.
   */
  seed?: 'fixed' | 'per-run';
  /** `'latest'` runs once at daemon start when a fire time passed while it was down. Default: `'none'`. */
  catchUp?: 'none' | 'latest';
  /** Re-materialize even fresh assets on each tick. Default: `false`. */
  force?: boolean;
}

/** A declared schedule. */
export interface ScheduleDef {
  readonly __synthgraph: 'schedule';
  readonly name: string;
  readonly cron: string;
  readonly select: string[];
  readonly timezone: string;
  readonly seed: 'fixed' | 'per-run';
  readonly catchUp: 'none' | 'latest';
  readonly force: boolean;
}

/** Declares a schedule for `synth daemon`. */
export function schedule(options: ScheduleOptions): ScheduleDef {
  const select = options.select === undefined ? ['*'] : Array.isArray(options.select) ? options.select : options.select.split(/\s+/).filter(Boolean);
  return Object.freeze({
    __synthgraph: 'schedule' as const,
    name: options.name,
    cron: options.cron,
    select,
    timezone: options.timezone ?? 'UTC',
    seed: options.seed ?? 'fixed',
    catchUp: options.catchUp ?? 'none',
    force: options.force ?? false,
  });
}

export function isScheduleDef(value: unknown): value is ScheduleDef {
  return !!value && typeof value === 'object' && (value as { __synthgraph?: unknown }).__synthgraph === 'schedule';
}
