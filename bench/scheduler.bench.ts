/**
 * The daemon's own costs: finding the latest missed fire time at start (node-cron only looks
 * forward), whole-process `synth schedules`, and how long after its fire time a tick whose
 * selection is fresh has started and finished its run (in process, real clock).
 */
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { getTasks } from 'node-cron';
// This file drives the engine directly, as an entry point: it registers the built-in plug-ins.
import '../src/builtin-plugins.js';
import { materialize } from '../src/engine/executor.js';
import { loadProject } from '../src/engine/project.js';
import { schedule } from '../src/engine/schedule-definition.js';
import { checkSchedule, DaemonLog, type DaemonLogEntry, daemonLogFile, nextFireTimes, previousFireTime, Scheduler } from '../src/scheduler/index.js';
import { makeProject, SYNTH, writeProjectFile } from '../test/support/project.js';

export const title = 'Scheduler: missed-fire lookup, synth schedules, tick latency on a fresh selection';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function ms(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

export default async function (): Promise<Record<string, string | number>[]> {
  const rows: Record<string, string | number>[] = [];

  // The worst case of a lookup is a whole period back: just before the next fire time.
  for (const [cron, timezone, what] of [
    ['*/10 * * * * *', 'UTC', 'every 10 s'],
    ['0 3 * * *', 'Europe/Paris', 'daily'],
    ['0 3 * * 1', 'UTC', 'weekly'],
    ['0 0 1 * *', 'America/New_York', 'monthly'],
    ['0 0 1 1 *', 'UTC', 'yearly'],
    ['0 0 29 2 *', 'UTC', '29 February (4 years)'],
  ] as const) {
    const [, second] = nextFireTimes({ cron, timezone }, 2);
    const before = new Date(second.getTime() - 1000);
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t = process.hrtime.bigint();
      previousFireTime({ cron, timezone }, before);
      times.push(ms(t));
    }
    rows.push({ measure: `previous fire time, ${what} (${cron} ${timezone})`, value: median(times).toFixed(2), unit: 'ms (median of 5)' });
  }

  const dir = makeProject({}, { examples: true });
  try {
    // The example pipelines declare weekly_refresh; add a second, daily schedule.
    writeProjectFile(
      dir,
      'src/assets/index.ts',
      "export * from './ecommerce.js';\nexport * from './penguins.js';\nimport { schedule } from 'synthgraph';\nexport const daily = schedule({ name: 'daily_refresh', cron: '0 4 * * *', select: 'penguins_synth+', seed: 'per-run' });\n",
    );
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t = process.hrtime.bigint();
      const r = spawnSync(process.execPath, [SYNTH, 'schedules', '--json'], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
      if (r.status !== 0) throw new Error(`synth schedules failed: ${r.stderr}`);
      times.push(ms(t));
    }
    rows.push({ measure: 'synth schedules --json (whole process)', value: median(times).toFixed(0), unit: 'ms (median of 5)' });

    const project = await loadProject({ root: dir });
    await materialize(project, { assets: ['products'] });
    const entries: DaemonLogEntry[] = [];
    const scheduler = new Scheduler(project, {
      schedules: [checkSchedule(project, schedule({ name: 'bench', cron: '*/1 * * * * *', select: 'products' }))],
      log: new DaemonLog(daemonLogFile(project.stateDir), (e) => entries.push(e)),
    });
    await scheduler.start();
    await new Promise((r) => setTimeout(r, 6_500));
    await scheduler.stop(30_000);
    for (const t of getTasks().values()) await t.destroy();
    const lag = (event: string) => median(entries.filter((e) => e.event === event).map((e) => Date.parse(e.ts) - Date.parse(e.fire!)));
    const finished = entries.filter((e) => e.event === 'finished');
    rows.push({ measure: `tick → run started (selection fresh, ${finished.length} ticks)`, value: lag('started'), unit: 'ms after the fire time (median)' });
    rows.push({ measure: `tick → run finished (selection fresh, ${finished.length} ticks)`, value: lag('finished'), unit: 'ms after the fire time (median)' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}
