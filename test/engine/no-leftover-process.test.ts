import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { makeProject, removeProject, SYNTH } from '../support/project.js';

/** Runs synth in a process group of its own; returns its exit status and what is still alive in the group afterwards. */
function runInGroup(dir: string, args: string[]): { status: number | null; left: string[] } {
  const r = spawnSync('setsid', ['sh', '-c', 'echo $$ >&2; exec "$@"', 'sh', process.execPath, SYNTH, ...args], { cwd: dir, encoding: 'utf8' });
  const pgid = Number(r.stderr.split('\n')[0]);
  const ps = spawnSync('ps', ['-o', 'pid=,args=', '-g', String(pgid)], { encoding: 'utf8' });
  const left = ps.stdout.split('\n').filter((l) => l.trim());
  if (left.length > 0) spawnSync('kill', ['-9', `-${pgid}`]);
  return { status: r.status, left };
}

describe('synth leaves no process behind', () => {
  let dir = '';
  afterEach(() => removeProject(dir));

  it('after bundling the definitions (esbuild service stopped) and after a cached run', () => {
    dir = makeProject({
      'src/assets/index.ts': "import { asset } from 'synthgraph';\nexport const a = asset({ name: 'a', codeVersion: '1', materialize: () => ({ n: 1 }) });\n",
    });
    const bundled = runInGroup(dir, ['materialize', '--json']);
    expect(bundled.status).toBe(0);
    expect(bundled.left).toEqual([]);
    const cached = runInGroup(dir, ['status', '--json']);
    expect(cached.status).toBe(0);
    expect(cached.left).toEqual([]);
  });
});
