import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { CatalogDataSchema, type CatalogData } from '../../src/engine/catalog.js';
import { sha256 } from '../../src/engine/hashing.js';
import type { SchedulesReport } from '../../src/scheduler/index.js';
import { type CliResult, removeProject, synth, synthAsync, synthJson } from '../support/project.js';
import { eventually, readLog, scheduledProject, SLOW_ASSET } from './fixtures.js';
import { readCatalogData } from '../support/catalog.js';

const dirs: string[] = [];
const children: ReturnType<typeof synthAsync>[] = [];

afterEach(async () => {
  for (const c of children.splice(0)) {
    if (c.child.exitCode === null && c.child.signalCode === null) {
      c.child.kill('SIGKILL');
      await c.done;
    }
  }
  for (const d of dirs.splice(0)) removeProject(d);
});

function project(extra = ''): string {
  const dir = scheduledProject(extra);
  dirs.push(dir);
  return dir;
}

function daemon(dir: string, args: string[], env: Record<string, string> = {}) {
  const d = synthAsync(dir, ['daemon', ...args], env);
  children.push(d);
  return d;
}

/** The log so far; a line being written right now is left for the next look. */
function logSoFar(dir: string) {
  try {
    return readLog(dir);
  } catch {
    return [];
  }
}

function catalog(dir: string): CatalogData {
  return CatalogDataSchema.parse(readCatalogData(dir));
}

/** Every stored object matches its hash, no temporary file is left, and every record's data is there. */
function expectSoundStore(dir: string): void {
  const objects = path.join(dir, '.synth', 'objects');
  for (const sub of existsSync(objects) ? readdirSync(objects) : []) {
    for (const file of readdirSync(path.join(objects, sub))) {
      expect(file.startsWith('.tmp-'), `temporary file ${sub}/${file}`).toBe(false);
      const bytes = readFileSync(path.join(objects, sub, file));
      expect(sha256(bytes)).toBe(sub + file);
    }
  }
  for (const m of catalog(dir).materializations) {
    if (m.data_hash) expect(statSync(path.join(objects, m.data_hash.slice(0, 2), m.data_hash.slice(2))).isFile()).toBe(true);
  }
}

async function stop(d: ReturnType<typeof synthAsync>): Promise<CliResult> {
  d.child.kill('SIGTERM');
  return d.done;
}

describe('synth daemon (real processes)', () => {
  test('materializes on its ticks, logs JSONL, rejects a second daemon, and exits 0 on SIGTERM', async () => {
    const dir = project();
    const d = daemon(dir, ['--cron', '*/1 * * * * *', '--select', 'products']);
    const finished = await eventually(() => logSoFar(dir).find((e) => e.event === 'finished'), 'a finished run');
    expect(finished).toMatchObject({ schedule: 'adhoc', ok: true, assets: [{ asset: 'products', outcome: 'materialized', error: null }] });
    const events = logSoFar(dir);
    expect(events[0].event).toBe('daemon-started');
    // The first tick's run is the one that finished first (ticks during it are skipped as overlap).
    const firstTick = events.find((e) => e.event === 'tick')!;
    expect(events.find((e) => e.event === 'started')?.fire).toBe(firstTick.fire);
    expect(finished.fire).toBe(firstTick.fire);
    expect(events.filter((e) => e.event === 'skipped').every((e) => e.reason === 'overlap')).toBe(true);
    const status = synthJson<{ asset: string; state: string }[]>(dir, ['status', 'products']);
    expect(status.json[0].state).toBe('fresh');

    const second = synth(dir, ['daemon', '--cron', '*/1 * * * * *', '--select', 'products']);
    expect(second.code).toBe(2);
    expect(second.stderr).toContain(`A daemon is already running for this project (pid ${d.child.pid}`);

    const report = synthJson<SchedulesReport>(dir, ['schedules']);
    expect(report.json.daemon).toMatchObject({ running: true, pid: d.child.pid });
    expect(report.json.schedules.find((s) => s.name === 'adhoc')).toMatchObject({ origin: 'recorded', last_outcome: expect.stringMatching(/ok|running/) });

    const result = await stop(d);
    expect(result.code).toBe(0);
    // One human line per event on stdout.
    expect(result.stdout).toMatch(/adhoc: run run_\w+ finished: 1 materialized/);
    const log = readLog(dir);
    expect(log.at(-1)?.event).toBe('daemon-stopped');
    expect(log.filter((e) => e.event === 'finished').every((e) => e.ok)).toBe(true);
    expectSoundStore(dir);
    const after = synthJson<SchedulesReport>(dir, ['schedules']);
    expect(after.json.daemon.running).toBe(false);
    // Each tick left the snapshot of the status after it: the status answered from it is the full one.
    expect(existsSync(path.join(dir, '.synth', 'cache', 'status.json'))).toBe(true);
    expect(synthJson(dir, ['status']).json).toEqual(synthJson(dir, ['status', '--reload']).json);
  });

  test('SIGTERM mid-run: the run is aborted after --grace, recorded as interrupted, and the daemon exits 0', async () => {
    const dir = project(SLOW_ASSET);
    const d = daemon(dir, ['--cron', '*/1 * * * * *', '--select', 'slow', '--grace', '500ms'], { SLOW_MS: '120000' });
    await eventually(() => existsSync(path.join(dir, '.synth', 'slow-started')), 'the slow asset to start');
    const result = await stop(d);
    expect(result.code).toBe(0);
    const log = readLog(dir);
    expect(log.filter((e) => e.event === 'finished')).toEqual([
      expect.objectContaining({ ok: false, assets: [{ asset: 'slow', outcome: 'failed', error: expect.stringMatching(/interrupted/) }] }),
    ]);
    expect(log.at(-1)).toMatchObject({ event: 'daemon-stopped' });
    const data = catalog(dir);
    expect(data.materializations.filter((m) => m.asset === 'slow').map((m) => m.status)).toEqual(['failed']);
    expect(data.schedules.adhoc.last_outcome).toBe('interrupted');
    expectSoundStore(dir);
  });

  test('a synth materialize run while the daemon ticks loses no catalog entry', async () => {
    const dir = project();
    const d = daemon(dir, ['--cron', '*/1 * * * * *', '--select', 'products', '--force']);
    await eventually(() => logSoFar(dir).find((e) => e.event === 'finished'), 'a first daemon run');
    const manual: { run_id: string; ok: boolean; assets: { materialization_id: string | null }[] }[] = [];
    for (const args of [
      ['+species_model', '--force'],
      ['products+', '--force'],
      ['penguins_synth', '--force'],
    ]) {
      const r = synthJson<(typeof manual)[number]>(dir, ['materialize', ...args]);
      expect(r.code, r.stderr).toBe(0);
      manual.push(r.json);
    }
    await eventually(() => logSoFar(dir).filter((e) => e.event === 'finished').length >= 3, 'more daemon runs');
    expect((await stop(d)).code).toBe(0);

    const data = catalog(dir);
    const runs = new Set(data.runs.map((r) => r.id));
    const mats = new Set(data.materializations.map((m) => m.id));
    for (const r of manual) {
      expect(runs.has(r.run_id)).toBe(true);
      for (const a of r.assets) if (a.materialization_id) expect(mats.has(a.materialization_id)).toBe(true);
    }
    const daemonRuns = readLog(dir).filter((e) => e.event === 'finished');
    for (const e of daemonRuns) {
      expect(runs.has(e.run_id!)).toBe(true);
      expect(data.materializations.some((m) => m.run_id === e.run_id && m.asset === 'products')).toBe(true);
    }
    expect(data.runs.filter((r) => r.trigger === 'schedule:adhoc').length).toBe(daemonRuns.length);
    expectSoundStore(dir);
  });

  test('declared schedules: synth schedules lists next fire times; bad ones fail at start with exit 2', async () => {
    const dir = project("export const weekly = schedule({ name: 'weekly_paris', cron: '0 3 * * 1', select: 'products+', seed: 'per-run', timezone: 'Europe/Paris' });\n");
    const report = synthJson<SchedulesReport>(dir, ['schedules', '--next', '2']);
    expect(report.code).toBe(0);
    expect(report.json.daemon.running).toBe(false);
    // The example pipelines declare weekly_refresh (UTC); this project adds weekly_paris.
    expect(report.json.schedules.map((x) => x.name).sort()).toEqual(['weekly_paris', 'weekly_refresh']);
    const weekly = report.json.schedules.find((x) => x.name === 'weekly_paris')!;
    expect(weekly).toMatchObject({ name: 'weekly_paris', origin: 'declared', cron: '0 3 * * 1', timezone: 'Europe/Paris', select: ['products+'], seed: 'per-run', last_outcome: null });
    expect(weekly.next_runs).toHaveLength(2);
    // Mondays at 03:00 in Paris: 01:00 or 02:00 UTC.
    for (const t of weekly.next_runs) expect(new Date(t).getUTCDay()).toBe(1);
    expect(synthJson(dir, ['daemon', '--status', '--next', '2']).json).toEqual(report.json);
    const human = synth(dir, ['schedules']);
    expect(human.stdout).toMatch(/weekly_paris\s+0 3 \* \* 1\s+Europe\/Paris\s+products\+/);
    expect(human.stdout).toContain('daemon: not running');

    const bad = project("export const nightly = schedule({ name: 'nightly', cron: '0 25 * * *', select: 'products' });\n");
    const r = synth(bad, ['daemon']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Schedule "nightly" has an invalid cron expression "0 25 * * *"');
    expect(r.stderr).toMatch(/src\/assets\/index\.ts/);
    const unknown = synth(bad, ['daemon', '--cron', '*/5 * * * * *', '--select', 'prodcts', '--name', 'x']);
    expect(unknown.code).toBe(2);
  });
  test('a daemon SIGKILLed during a run: the schedule shows interrupted while no daemon runs, and the next daemon logs it with its run id', async () => {
    const dir = project(`${SLOW_ASSET}export const often = schedule({ name: 'often', cron: '*/1 * * * * *', select: 'slow' });\n`);
    const marker = path.join(dir, '.synth', 'slow-started');
    const first = daemon(dir, [], { SLOW_MS: '120000' });
    // The marker may exist before its content (the run id) is written: wait for both.
    await eventually(() => existsSync(marker) && readFileSync(marker, 'utf8') !== '', 'the first run to start');
    const runId = readFileSync(marker, 'utf8');
    first.child.kill('SIGKILL');
    await first.done;

    const report = synthJson<SchedulesReport>(dir, ['schedules']).json;
    expect(report.daemon.running).toBe(false);
    expect(report.schedules.find((s) => s.name === 'often')).toMatchObject({ last_outcome: 'interrupted' });

    rmSync(marker);
    const second = daemon(dir, ['--grace', '200ms'], { SLOW_MS: '120000' });
    const entry = await eventually(() => logSoFar(dir).find((e) => e.event === 'interrupted'), 'the interrupted entry');
    expect(entry).toMatchObject({ schedule: 'often', run_id: runId });
    expect(entry.reason).toContain('the daemon was killed while this run was going');
    // It then carries on ticking.
    await eventually(() => existsSync(marker), 'the next run to start');
    second.child.kill('SIGTERM');
    await second.done;
  });
});
