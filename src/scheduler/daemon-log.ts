import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/** What a daemon log line reports. */
export const DaemonEvent = {
  daemonStarted: 'daemon-started',
  /** A fire time was reached (or is caught up at start). */
  tick: 'tick',
  /** The tick's materialization took the run lock and started. */
  started: 'started',
  /** The materialization ended; `ok` and per-asset outcomes say how. */
  finished: 'finished',
  /** A tick did not run: `overlap` (the schedule's previous run is still going) or `shutdown`. */
  skipped: 'skipped',
  /** The tick could not run at all (definitions no longer load, selection broke, internal error). */
  failed: 'failed',
  /** A fire time passed without a tick: while the daemon was down, or with the event loop busy. */
  missed: 'missed',
  /** Found at start: the previous daemon was killed while a tick's run was going (its schedule still said `running`). */
  interrupted: 'interrupted',
  /** Another process (e.g. a manual `synth materialize`) holds the run lock; the tick waits. */
  lockWait: 'lock-wait',
  daemonStopping: 'daemon-stopping',
  daemonStopped: 'daemon-stopped',
  /** Something odd that does not stop the daemon. */
  warning: 'warning',
} as const;
export type DaemonEvent = (typeof DaemonEvent)[keyof typeof DaemonEvent];

export const DaemonLogAssetSchema = z.object({ asset: z.string(), outcome: z.string(), error: z.string().nullable() });

/** One line of `.synth/logs/daemon.jsonl`. Fields beyond `ts` and `event` depend on the event. */
export const DaemonLogEntrySchema = z.object({
  ts: z.string(),
  event: z.enum(Object.values(DaemonEvent) as [DaemonEvent, ...DaemonEvent[]]),
  pid: z.number().optional(),
  schedule: z.string().optional(),
  /** The scheduled fire time this line is about (ISO, UTC). */
  fire: z.string().optional(),
  /** True for the one run made at start for fire times missed while the daemon was down. */
  catch_up: z.boolean().optional(),
  run_id: z.string().optional(),
  seed: z.number().nullable().optional(),
  assets: z.union([z.array(z.string()), z.array(DaemonLogAssetSchema)]).optional(),
  ok: z.boolean().optional(),
  counts: z.record(z.string(), z.number()).optional(),
  duration_ms: z.number().optional(),
  reason: z.string().optional(),
  message: z.string().optional(),
  error: z.object({ what: z.string(), why: z.string().optional(), fix: z.string().optional() }).optional(),
  schedules: z.array(z.object({ name: z.string(), cron: z.string(), timezone: z.string(), select: z.array(z.string()), next: z.string().nullable() })).optional(),
});
export type DaemonLogEntry = z.infer<typeof DaemonLogEntrySchema>;
/** A log entry before it is stamped with the time. */
export type DaemonLogInput = Omit<DaemonLogEntry, 'ts'>;

/** Where the daemon's log lives in a project's state folder. */
export function daemonLogFile(stateDir: string): string {
  return path.join(stateDir, 'logs', 'daemon.jsonl');
}

/** The one-line human form of an entry, as printed on stdout. */
export function humanLine(e: DaemonLogEntry): string {
  const head = `${e.ts.replace('T', ' ').replace(/\.\d+Z$/, 'Z')}  ${e.schedule ? `${e.schedule}: ` : ''}`;
  const fire = e.fire ? ` (fire ${e.fire})` : '';
  switch (e.event) {
    case 'daemon-started':
      return `${head}daemon started (pid ${e.pid}) with ${e.schedules?.length ?? 0} schedule(s): ${(e.schedules ?? []).map((s) => `${s.name} "${s.cron}" ${s.timezone} next ${s.next ?? '-'}`).join('; ')}`;
    case 'tick':
      return `${head}tick${e.catch_up ? ' (catch-up)' : ''}${fire}`;
    case 'started':
      return `${head}run ${e.run_id} started: ${Array.isArray(e.assets) ? e.assets.join(', ') : ''}${e.seed != null ? ` seed ${e.seed}` : ''}`;
    case 'finished': {
      const counts = Object.entries(e.counts ?? {})
        .filter(([, n]) => n > 0)
        .map(([k, n]) => `${n} ${k}`)
        .join(', ');
      return `${head}run ${e.run_id} ${e.ok ? 'finished' : 'finished with failures'}: ${counts || 'nothing to do'} in ${((e.duration_ms ?? 0) / 1000).toFixed(1)}s${e.error ? `: ${e.error.what}` : ''}`;
    }
    case 'skipped':
      return `${head}skipped${fire}: ${e.reason === 'overlap' ? 'the previous run is still going' : e.reason}`;
    case 'failed':
      return `${head}tick failed${fire}: ${e.error?.what ?? ''}${e.error?.why ? ` ${e.error.why}` : ''}`;
    case 'missed':
      return `${head}missed${fire}: ${e.reason}`;
    case 'interrupted':
      return `${head}interrupted${fire}${e.run_id ? ` run ${e.run_id}` : ''}: ${e.reason}`;
    case 'lock-wait':
      return `${head}waiting for the run lock: ${e.message}`;
    case 'daemon-stopping':
      return `${head}stopping: ${e.message}`;
    case 'daemon-stopped':
      return `${head}daemon stopped${e.message ? `: ${e.message}` : ''}`;
    case 'warning':
      return `${head}warning: ${e.message}`;
  }
}

/**
 * The daemon's log: each event is one JSON line appended to `.synth/logs/daemon.jsonl`
 * (synchronously, so lines stay whole and in order even if the process is killed right after),
 * and is handed to `echo` for stdout.
 */
export class DaemonLog {
  constructor(
    readonly file: string,
    private readonly echo: (entry: DaemonLogEntry) => void = () => undefined,
  ) {
    mkdirSync(path.dirname(file), { recursive: true });
  }

  write(input: DaemonLogInput): DaemonLogEntry {
    const entry: DaemonLogEntry = { ts: new Date().toISOString(), ...input };
    try {
      appendFileSync(this.file, JSON.stringify(entry) + '\n');
    } catch {
      // A full disk must not stop the scheduler; stdout still gets the line.
    }
    try {
      this.echo(entry);
    } catch {
      // Nor must a closed stdout.
    }
    return entry;
  }
}
