import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeProject, removeProject, synthAsync, synthJson } from '../support/project.js';
import { eventually, readLog, SLOW_ASSET } from '../scheduler/fixtures.js';
import type { SchedulesReport } from '../../src/scheduler/index.js';

const defs = `import { asset, schedule } from 'synthgraph';\n${SLOW_ASSET}\nexport const often = schedule({ name: 'often', cron: '*/1 * * * * *', select: 'slow' });\n`;

let dirs: string[] = [];
const children: ReturnType<typeof synthAsync>[] = [];
afterEach(async () => {
  for (const c of children.splice(0)) {
    if (c.child.exitCode === null && c.child.signalCode === null) {
      c.child.kill('SIGKILL');
      await c.done;
    }
  }
  dirs.forEach(removeProject);
  dirs = [];
});

describe('a daemon SIGKILLed during a run', () => {
  it('shows the run interrupted while no daemon runs, and the next daemon logs it with its run id', async () => {
    const dir = makeProject({ 'src/assets/index.ts': defs });
    dirs.push(dir);
    const marker = path.join(dir, '.synth', 'slow-started');
    const first = synthAsync(dir, ['daemon'], { SLOW_MS: '120000' });
    children.push(first);
    await eventually(() => existsSync(marker), 'the first run to start');
    const runId = readFileSync(marker, 'utf8');
    first.child.kill('SIGKILL');
    await first.done;

    const report = synthJson<SchedulesReport>(dir, ['schedules']).json;
    expect(report.daemon.running).toBe(false);
    expect(report.schedules.find((s) => s.name === 'often')).toMatchObject({ last_outcome: 'interrupted' });

    rmSync(marker);
    const second = synthAsync(dir, ['daemon', '--grace', '200ms'], { SLOW_MS: '120000' });
    children.push(second);
    const entry = await eventually(() => readLog(dir).find((e) => e.event === 'interrupted'), 'the interrupted entry');
    expect(entry).toMatchObject({ schedule: 'often', run_id: runId });
    expect(entry.reason).toContain('the daemon was killed while this run was going');
    // It then carries on ticking.
    await eventually(() => existsSync(marker), 'the next run to start');
    second.child.kill('SIGTERM');
    await second.done;
  });
});
