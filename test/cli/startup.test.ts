import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandSpecs, programWithAllCommands, standInProgram } from '../../src/cli/main.js';
import { makeProject, removeProject, REPO, SYNTH } from '../support/project.js';

// `synth` parses its command line against stand-ins built from specs recorded at build time and
// loads only the module of the command that runs (src/cli/command-spec.ts). What it loads is
// checked here; how long that takes is measured by `npm run bench -- startup`.

const HOOK = path.join(REPO, 'test', 'support', 'package-log-hook.mjs');
const logDir = mkdtempSync(path.join(tmpdir(), 'synth-startup-'));
afterAll(() => rmSync(logDir, { recursive: true, force: true }));

/** The npm packages `synth args` imports, running in `cwd`. */
function packagesLoaded(cwd: string, args: string[]): { code: number | null; packages: string[] } {
  const log = path.join(logDir, `${Date.now()}-${Math.random().toString(36).slice(2)}.log`);
  const r = spawnSync(process.execPath, ['--import', HOOK, SYNTH, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', SYNTH_TEST_PACKAGE_LOG: log } });
  let lines: string[] = [];
  try {
    lines = readFileSync(log, 'utf8').split('\n').filter(Boolean);
  } catch {
    // No package loaded at all: no log file.
  }
  return { code: r.status, packages: [...new Set(lines.map((s) => (s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : s.split('/')[0]!)))].sort() };
}

/** Every command's help, as `synth COMMAND --help` prints it, keyed by command name ('' for the program). */
function helpTexts(program: Command): Map<string, string> {
  const texts = new Map([['', program.helpInformation()]]);
  for (const cmd of program.commands) texts.set(cmd.name(), cmd.helpInformation());
  return texts;
}

describe('start-up loads only what the command needs', () => {
  let project: string;
  beforeAll(() => {
    project = makeProject({}, { examples: true });
  });
  afterAll(() => removeProject(project));

  it('the stand-ins print the same help as the real commands, for the program and every command', async () => {
    const real = await programWithAllCommands();
    const standIns = standInProgram(await commandSpecs(), false, () => {});
    const expected = helpTexts(real.program);
    expect(expected.size).toBeGreaterThan(10);
    expect(helpTexts(standIns)).toEqual(expected);
  });

  it('the built CLI carries the specs of every command the sources register', async () => {
    const recorded = ((await import(path.join(REPO, 'dist', 'cli', 'command-specs.js'))) as { default: unknown }).default;
    expect(recorded).toEqual(JSON.parse(JSON.stringify(await commandSpecs())));
  });

  it('synth --version, synth --help and synth status --help load commander and nothing else', () => {
    for (const args of [['--version'], ['--help'], ['status', '--help'], ['materialize', '--help'], ['help', 'daemon']]) {
      expect({ args, ...packagesLoaded(project, args) }).toEqual({ args, code: 0, packages: ['commander'] });
    }
  });

  it('a usage error loads no command either', () => {
    const r = packagesLoaded(project, ['stauts']);
    expect(r.code).toBe(2);
    expect(r.packages).toEqual(['commander']);
  });

  it('synth status on the example pipelines loads neither the LLM client, the MLflow client, the scheduler nor the UI', () => {
    // --reload: computed from the definitions (not from the snapshot of an earlier status; see below).
    const r = packagesLoaded(project, ['status', '--reload']);
    expect(r.code).toBe(0);
    expect(r.packages).toContain('zod');
    for (const pkg of ['openai', 'undici', 'node-cron', '@dagrejs/dagre', 'bottleneck', '@faker-js/faker']) expect(r.packages).not.toContain(pkg);
  });

  it('synth status on the example pipelines loads no statistics, diff, CSV-parsing or graph package (they load on first use)', () => {
    const r = packagesLoaded(project, ['status', '--reload']);
    expect(r.code).toBe(0);
    for (const pkg of ['simple-statistics', 'diff', 'csv-parse', 'graphology', 'graphology-components']) expect(r.packages).not.toContain(pkg);
  });

  it('synth status answered from its snapshot loads neither the definitions nor zod, yaml or the asset kinds', () => {
    expect(packagesLoaded(project, ['status']).code).toBe(0);
    const r = packagesLoaded(project, ['status']);
    expect(r.code).toBe(0);
    for (const pkg of ['synthgraph', 'zod', 'yaml', 'jsep', 'd3-dsv', 'fast-png', 'esbuild']) expect(r.packages).not.toContain(pkg);
    expect(r.packages).toEqual(expect.arrayContaining(['chalk', 'commander']));
  });

  it('a dependency cycle loads graphology to name it (loaded through require on first use, and seen by the check above)', () => {
    const dir = makeProject({
      'src/assets/index.ts': `import { asset } from 'synthgraph';
export const a = asset({ name: 'a', deps: { b: 'b' }, materialize: () => 1 });
export const b = asset({ name: 'b', deps: { a }, materialize: () => 1 });
`,
    });
    try {
      const r = packagesLoaded(dir, ['status']);
      expect(r.code).toBe(2);
      expect(r.packages).toEqual(expect.arrayContaining(['graphology', 'graphology-components']));
    } finally {
      removeProject(dir);
    }
  });
});

/** The processes left in the process group of a command that has exited (zombies included). */
function leftInGroup(pgid: number): string[] {
  const left: string[] = [];
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue; // exited meanwhile
    }
    // pid (comm) state ppid pgrp ...: comm may hold spaces, so split after its closing parenthesis.
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(pgrp) === pgid) left.push(`${stat.slice(0, stat.lastIndexOf(')') + 1)} state ${state}`);
  }
  return left;
}

/** Runs synth in its own process group; resolves, once it has exited, to what is left in that group. */
function runAndList(cwd: string, args: string[]): Promise<{ code: number | null; left: string[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SYNTH, ...args], { cwd, detached: true, stdio: 'ignore', env: { ...process.env, NO_COLOR: '1' } });
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, left: leftInGroup(child.pid!) }));
  });
}

describe.runIf(process.platform === 'linux')('no process outlives synth', () => {
  let project: string;
  beforeAll(() => {
    project = makeProject({}, { examples: true });
  });
  afterAll(() => removeProject(project));

  it('after bundling the definitions (first run, then after they changed) and after reusing the bundle', async () => {
    expect(await runAndList(project, ['status'])).toEqual({ code: 0, left: [] });
    const defs = path.join(project, 'src', 'assets', 'ecommerce.ts');
    const later = new Date(Date.now() + 5_000);
    utimesSync(defs, later, later);
    expect(await runAndList(project, ['graph', '--format', 'json'])).toEqual({ code: 0, left: [] });
    expect(await runAndList(project, ['status'])).toEqual({ code: 0, left: [] });
  });

  it('after definitions that do not compile (exit 2)', async () => {
    const broken = makeProject({ 'src/assets/index.ts': 'export const x = ;\n' });
    try {
      expect(await runAndList(broken, ['status'])).toEqual({ code: 2, left: [] });
    } finally {
      removeProject(broken);
    }
  });
});
