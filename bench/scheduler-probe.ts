/**
 * Run by scheduler.bench.ts in fresh processes. `lookup`: the latest missed fire time of each
 * cron, the first call of the process (cold) then a second (warm), a whole period back (the worst
 * case). `tick DIR`: a 1-second schedule on a fresh selection of the project in DIR for 6.5 s;
 * the median delay from each fire time to its run started and finished. Prints JSON.
 */
import { getTasks } from 'node-cron';
// This file drives the engine directly, as an entry point: it registers the built-in plug-ins.
import '../src/builtin-plugins.js';
import { materialize } from '../src/engine/executor.js';
import { loadProject } from '../src/engine/project.js';
import { schedule } from '../src/engine/schedule-definition.js';
import { checkSchedule, DaemonLog, type DaemonLogEntry, daemonLogFile, nextFireTimes, previousFireTime, Scheduler } from '../src/scheduler/index.js';

const ms = (start: bigint): number => Number(process.hrtime.bigint() - start) / 1e6;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

if (process.argv[2] === 'lookup') {
  // Crons as JSON [[cron, timezone, label], ...] (scheduler.bench.ts).
  const crons = JSON.parse(process.argv[3]!) as [string, string, string][];
  const out: Record<string, { cold_ms: number; warm_ms: number }> = {};
  for (const [cron, timezone, what] of crons) {
    const [, second] = nextFireTimes({ cron, timezone }, 2);
    const before = new Date(second.getTime() - 1000);
    const pass = () => {
      const t = process.hrtime.bigint();
      previousFireTime({ cron, timezone }, before);
      return ms(t);
    };
    const cold = pass();
    out[what] = { cold_ms: cold, warm_ms: pass() };
  }
  process.stdout.write(JSON.stringify(out));
} else if (process.argv[2] === 'tick' && process.argv[3]) {
  const project = await loadProject({ root: process.argv[3] });
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
  process.stdout.write(JSON.stringify({ ticks: entries.filter((e) => e.event === 'finished').length, started_ms: lag('started'), finished_ms: lag('finished') }));
} else {
  throw new Error('usage: scheduler-probe.ts lookup CRONS_JSON | tick PROJECT_DIR');
}
