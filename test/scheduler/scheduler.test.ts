import { getTasks } from 'node-cron';
import { afterEach, describe, expect, test, vi } from 'vitest';
// This file drives the engine directly, as an entry point: it registers the built-in plug-ins.
import '../../src/builtin-plugins.js';
import { Catalog } from '../../src/engine/catalog.js';
import type { EngineEvent } from '../../src/engine/events.js';
import { materialize } from '../../src/engine/executor.js';
import { loadProject, type Project } from '../../src/engine/project.js';
import { schedule, type ScheduleOptions } from '../../src/engine/schedule-definition.js';
import { checkSchedule, DaemonLog, type DaemonLogEntry, daemonLogFile, Scheduler, seedForFire } from '../../src/scheduler/index.js';
import { removeProject } from '../support/project.js';
import { eventually, readLog, scheduledProject, SLOW_ASSET } from './fixtures.js';

const BOOM_ASSET = `
export const boom = asset({ name: 'boom', retries: 0, materialize: () => { throw new Error('boom'); } });
`;

const dirs: string[] = [];
const schedulers: Scheduler[] = [];

afterEach(async () => {
  for (const s of schedulers.splice(0)) await s.stop(0);
  vi.useRealTimers();
  // node-cron's registry is global: nothing may stay armed after a test.
  for (const task of getTasks().values()) await task.destroy();
  for (const d of dirs.splice(0)) removeProject(d);
  delete process.env.SLOW_MS;
});

async function setup(extra = ''): Promise<{ dir: string; project: Project }> {
  const dir = scheduledProject(extra);
  dirs.push(dir);
  // Loaded on the real clock: esbuild bundles the definitions.
  const project = await loadProject({ root: dir });
  return { dir, project };
}

/** Fakes the clock node-cron and the assets use; setImmediate and I/O stay real. */
function fakeClock(now: string): void {
  vi.useFakeTimers({ now: new Date(now), toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
}

function start(project: Project, defs: ScheduleOptions[], onEvent?: (e: EngineEvent) => void): { scheduler: Scheduler; entries: DaemonLogEntry[] } {
  const entries: DaemonLogEntry[] = [];
  const scheduler = new Scheduler(project, {
    schedules: defs.map((d) => checkSchedule(project, schedule(d))),
    log: new DaemonLog(daemonLogFile(project.stateDir), (e) => entries.push(e)),
    onEvent,
  });
  schedulers.push(scheduler);
  return { scheduler, entries };
}

async function catalogOf(project: Project) {
  const catalog = new Catalog(project.stateDir);
  await catalog.load();
  return catalog.data;
}

const of = (entries: DaemonLogEntry[], event: string) => entries.filter((e) => e.event === event);

describe('Scheduler (in process, fake clock)', () => {
  test('a tick materializes the selection as synth materialize would, then only what is stale', async () => {
    const { dir, project } = await setup();
    fakeClock('2025-01-06T02:59:58Z');
    const { scheduler, entries } = start(project, [{ name: 'refresh', cron: '0 3 * * 1', select: '+category_model' }]);
    await scheduler.start();
    expect(of(entries, 'tick')).toHaveLength(0);

    await vi.advanceTimersByTimeAsync(2_000);
    await scheduler.idle();
    expect(of(entries, 'tick').map((e) => e.fire)).toEqual(['2025-01-06T03:00:00.000Z']);
    const [started] = of(entries, 'started');
    expect(started.assets).toEqual(['products', 'products_report', 'category_model']);
    const [finished] = of(entries, 'finished');
    expect(finished).toMatchObject({ schedule: 'refresh', ok: true, run_id: started.run_id, counts: { materialized: 3 } });

    let data = await catalogOf(project);
    const run = data.runs.find((r) => r.id === started.run_id)!;
    expect(run).toMatchObject({ trigger: 'schedule:refresh', ok: true, selection: ['products', 'products_report', 'category_model'] });
    expect(
      data.materializations
        .filter((m) => m.run_id === run.id)
        .map((m) => m.asset)
        .sort(),
    ).toEqual(['category_model', 'products', 'products_report']);
    expect(data.schedules.refresh).toEqual({ last_fire: '2025-01-06T03:00:00.000Z', last_run_id: run.id, last_outcome: 'ok', last_seed: null });

    // A week later nothing changed: the tick runs, and every asset is fresh.
    await vi.advanceTimersByTimeAsync(7 * 24 * 3600_000);
    await scheduler.idle();
    const second = of(entries, 'finished')[1];
    expect(second).toMatchObject({ fire: '2025-01-13T03:00:00.000Z', ok: true, counts: { fresh: 3 } });
    data = await catalogOf(project);
    expect(data.materializations.filter((m) => m.run_id === second.run_id)).toHaveLength(0);
    // Each event also went to the JSONL log.
    expect(readLog(dir).map((e) => e.event)).toEqual(entries.map((e) => e.event));
  });

  test('a tick that fires while the previous run of the schedule is going is skipped (overlap)', async () => {
    const { project } = await setup(SLOW_ASSET);
    fakeClock('2025-01-06T02:59:59Z');
    let armed = false;
    const { scheduler, entries } = start(project, [{ name: 'slowly', cron: '*/1 * * * * *', select: 'slow', force: true }], (e) => {
      if (e.type === 'asset-progress') armed = true;
    });
    await scheduler.start();
    await vi.advanceTimersByTimeAsync(1_000);
    // The slow asset (5 s of the fake clock) has armed its timer.
    await eventually(() => armed, 'the slow asset to start');
    for (let i = 0; i < 3; i++) await vi.advanceTimersByTimeAsync(1_000);
    expect(of(entries, 'started')).toHaveLength(1);
    expect(of(entries, 'skipped').map((e) => [e.fire, e.reason])).toEqual([
      ['2025-01-06T03:00:01.000Z', 'overlap'],
      ['2025-01-06T03:00:02.000Z', 'overlap'],
      ['2025-01-06T03:00:03.000Z', 'overlap'],
    ]);
    expect(scheduler.busy).toEqual(['slowly']);

    // Stopping with a long grace lets the run finish.
    const stopping = scheduler.stop(60_000);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(await stopping).toEqual({ settled: true, aborted: [] });
    const [finished] = of(entries, 'finished');
    expect(finished).toMatchObject({ fire: '2025-01-06T03:00:00.000Z', ok: true, assets: [{ asset: 'slow', outcome: 'materialized', error: null }] });
    const data = await catalogOf(project);
    expect(data.runs.filter((r) => r.trigger === 'schedule:slowly')).toHaveLength(1);
  });

  test("seed: 'per-run' gives each tick the seed of its fire time, recorded and reproducible", async () => {
    const { project } = await setup();
    fakeClock('2025-01-06T02:59:58Z');
    const { scheduler, entries } = start(project, [{ name: 'reseed', cron: '*/10 * * * * *', select: 'products', seed: 'per-run' }]);
    await scheduler.start();
    await vi.advanceTimersByTimeAsync(2_000);
    await scheduler.idle();
    await vi.advanceTimersByTimeAsync(10_000);
    await scheduler.idle();

    const seeds = [seedForFire(new Date('2025-01-06T03:00:00Z')), seedForFire(new Date('2025-01-06T03:00:10Z'))];
    expect(of(entries, 'started').map((e) => e.seed)).toEqual(seeds);
    const runs = of(entries, 'finished').map((e) => e.run_id);
    expect(of(entries, 'finished').map((e) => e.counts)).toEqual([{ materialized: 1 }, { materialized: 1 }]);
    const data = await catalogOf(project);
    const made = runs.map((id) => data.materializations.find((m) => m.run_id === id && m.asset === 'products')!);
    expect(made.map((m) => m.seed)).toEqual(seeds);
    expect(made[0].data_hash).not.toBe(made[1].data_hash);
    expect(data.schedules.reseed).toMatchObject({ last_fire: '2025-01-06T03:00:10.000Z', last_seed: seeds[1], last_outcome: 'ok' });

    // The recorded seed reproduces the first tick's data: the same key, reused from the store.
    await scheduler.stop(0);
    const again = await materialize(project, { assets: ['products'], overrides: { seed: seeds[0] } });
    expect(again.assets[0]).toMatchObject({ outcome: 'cached', data_hash: made[0].data_hash });
  });

  test("fire times missed while the daemon was down are logged, and catchUp: 'latest' runs once at start", async () => {
    const { project } = await setup();
    const weekly = { cron: '0 3 * * 1', select: 'products', seed: 'per-run' } as const;
    const defs: ScheduleOptions[] = [
      { name: 'weekly_latest', ...weekly, catchUp: 'latest' },
      { name: 'weekly_none', ...weekly },
    ];
    fakeClock('2025-01-06T02:59:00Z');
    const first = start(project, defs);
    await first.scheduler.start();
    // First start: nothing was missed, the schedules are watched from now on.
    expect(of(first.entries, 'missed')).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(61_000);
    await first.scheduler.idle();
    expect(of(first.entries, 'finished').map((e) => [e.schedule, e.fire])).toEqual([
      ['weekly_latest', '2025-01-06T03:00:00.000Z'],
      ['weekly_none', '2025-01-06T03:00:00.000Z'],
    ]);
    await first.scheduler.stop(0);

    // Down for two weeks: the 13 and 20 January fire times pass.
    vi.setSystemTime(new Date('2025-01-20T10:00:00Z'));
    const second = start(project, defs);
    await second.scheduler.start();
    await second.scheduler.idle();
    expect(of(second.entries, 'missed').map((e) => [e.schedule, e.fire, e.catch_up])).toEqual([
      ['weekly_latest', '2025-01-20T03:00:00.000Z', true],
      ['weekly_none', '2025-01-20T03:00:00.000Z', false],
    ]);
    // One catch-up run, for the latest fire time, with that fire time's seed.
    expect(of(second.entries, 'tick').map((e) => [e.schedule, e.fire, e.catch_up])).toEqual([['weekly_latest', '2025-01-20T03:00:00.000Z', true]]);
    const [started] = of(second.entries, 'started');
    expect(started.seed).toBe(seedForFire(new Date('2025-01-20T03:00:00Z')));
    const data = await catalogOf(project);
    expect(data.schedules.weekly_latest).toMatchObject({ last_fire: '2025-01-20T03:00:00.000Z', last_outcome: 'ok', last_run_id: started.run_id });
    expect(data.schedules.weekly_none).toMatchObject({ last_fire: '2025-01-06T03:00:00.000Z' });
    await second.scheduler.stop(0);

    // A restart right away finds nothing new to catch up for weekly_latest.
    const third = start(project, defs);
    await third.scheduler.start();
    await third.scheduler.idle();
    expect(of(third.entries, 'missed').map((e) => e.schedule)).toEqual(['weekly_none']);
    expect(of(third.entries, 'tick')).toHaveLength(0);
  });

  test('stopping aborts the running materialization after the grace period; the asset is recorded as interrupted', async () => {
    const { project } = await setup(SLOW_ASSET);
    process.env.SLOW_MS = '600000';
    fakeClock('2025-01-06T02:59:59Z');
    let armed = false;
    const { scheduler, entries } = start(project, [{ name: 'slowly', cron: '*/1 * * * * *', select: 'slow' }], (e) => {
      if (e.type === 'asset-progress') armed = true;
    });
    await scheduler.start();
    await vi.advanceTimersByTimeAsync(1_000);
    await eventually(() => armed, 'the slow asset to start');
    const stopping = scheduler.stop(2_000);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(await stopping).toEqual({ settled: true, aborted: ['slowly'] });
    expect(of(entries, 'finished')[0]).toMatchObject({ ok: false, assets: [{ asset: 'slow', outcome: 'failed' }] });
    expect(of(entries, 'tick')).toHaveLength(1);
    const data = await catalogOf(project);
    const slow = data.materializations.filter((m) => m.asset === 'slow');
    expect(slow).toHaveLength(1);
    expect(slow[0]).toMatchObject({ status: 'failed', data_hash: null });
    expect(slow[0].error?.what).toMatch(/interrupted/);
    expect(data.schedules.slowly.last_outcome).toBe('interrupted');
    expect(getTasks().size).toBe(0);
  });

  test('a failing run never stops the daemon', async () => {
    const { project } = await setup(BOOM_ASSET);
    fakeClock('2025-01-06T02:59:59Z');
    const { scheduler, entries } = start(project, [{ name: 'boom', cron: '*/1 * * * * *', select: 'boom' }]);
    await scheduler.start();
    for (let i = 0; i < 2; i++) {
      await vi.advanceTimersByTimeAsync(1_000);
      await scheduler.idle();
    }
    expect(of(entries, 'finished').map((e) => [e.ok, e.assets])).toEqual([
      [false, [{ asset: 'boom', outcome: 'failed', error: expect.stringContaining('boom') }]],
      [false, [{ asset: 'boom', outcome: 'failed', error: expect.stringContaining('boom') }]],
    ]);
    const data = await catalogOf(project);
    expect(data.schedules.boom.last_outcome).toBe('failed');
  });
});
