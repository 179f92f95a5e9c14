/**
 * The daemon's own costs, each over fresh processes (min / median / max): finding the latest missed
 * fire time at start (node-cron only looks forward; cold: first call of a process, warm: second),
 * whole-process `synth schedules` (wall and CPU), and how long after its fire time a tick whose
 * selection is fresh has started and finished its run (bench/scheduler-probe.ts, real clock).
 */
import { fileURLToPath } from 'node:url';
import { makeProject, removeProject, SYNTH, writeProjectFile } from '../test/support/project.js';
import { RUNS, runProbe, spread, timeSynthRuns } from './fresh-process.js';

export const title = 'Scheduler: missed-fire lookup, synth schedules, tick latency on a fresh selection (fresh processes)';

const PROBE = fileURLToPath(new URL('./scheduler-probe.ts', import.meta.url));

/** The worst case of a lookup is a whole period back: just before the next fire time. */
const CRONS = [
  ['*/10 * * * * *', 'UTC', 'every 10 s'],
  ['0 3 * * *', 'Europe/Paris', 'daily'],
  ['0 3 * * 1', 'UTC', 'weekly'],
  ['0 0 1 * *', 'America/New_York', 'monthly'],
  ['0 0 1 1 *', 'UTC', 'yearly'],
  ['0 0 29 2 *', 'UTC', '29 February (4 years)'],
] as const;

export default async function (): Promise<Record<string, string | number>[]> {
  const rows: Record<string, string | number>[] = [];
  const lookups: Record<string, { cold_ms: number; warm_ms: number }>[] = [];
  for (let i = 0; i < RUNS; i++) lookups.push(await runProbe(PROBE, ['lookup', JSON.stringify(CRONS)]));
  for (const [cron, timezone, what] of CRONS) {
    rows.push({
      measure: `previous fire time, ${what} (${cron} ${timezone}), cold · warm`,
      'min / median / max': `${spread(
        lookups.map((l) => l[what].cold_ms),
        'ms',
      )} · ${spread(
        lookups.map((l) => l[what].warm_ms),
        'ms',
      )}`,
    });
  }

  const dir = makeProject({}, { examples: true });
  try {
    // The example pipelines declare weekly_refresh; add a second, daily schedule.
    writeProjectFile(
      dir,
      'src/assets/index.ts',
      "export * from './ecommerce.js';\nexport * from './penguins.js';\nimport { schedule } from 'synthgraph';\nexport const daily = schedule({ name: 'daily_refresh', cron: '0 4 * * *', select: 'penguins_synth+', seed: 'per-run' });\n",
    );
    const schedules = timeSynthRuns(SYNTH, dir, ['schedules', '--json']);
    rows.push({ measure: `synth schedules --json (whole process, ${RUNS} fresh), wall · CPU`, 'min / median / max': `${schedules.wall} · ${schedules.cpu}` });

    const ticks: { ticks: number; started_ms: number; finished_ms: number }[] = [];
    for (let i = 0; i < RUNS; i++) ticks.push(await runProbe(PROBE, ['tick', dir]));
    const n = ticks.map((t) => t.ticks).join(', ');
    rows.push({
      measure: `tick → run started, ms after the fire time (selection fresh; median of ${n} ticks per process)`,
      'min / median / max': spread(
        ticks.map((t) => t.started_ms),
        'ms',
        0,
      ),
    });
    rows.push({
      measure: 'tick → run finished, ms after the fire time',
      'min / median / max': spread(
        ticks.map((t) => t.finished_ms),
        'ms',
        0,
      ),
    });
  } finally {
    removeProject(dir);
  }
  return rows;
}
