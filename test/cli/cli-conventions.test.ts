import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeProject, removeProject, REPO, synth } from '../support/project.js';

// eslint-disable-next-line no-control-regex -- ESC starts an ANSI colour code, which these tests look for
const ANSI = /\x1b\[[0-9;]*m/;
const defs = `
import { asset } from 'synthgraph';
export const a = asset({ name: 'a', group: 'g', materialize: () => [{ x: 1 }] });
export const b = asset({ name: 'b', group: 'g', deps: { a }, materialize: () => 2 });
`;

let dir: string;
let broken: string;
beforeAll(() => {
  dir = makeProject({ 'src/assets/index.ts': defs });
  broken = makeProject({ 'src/assets/index.ts': `import { asset } from 'synthgraph';\nexport const a = asset({ name: 'a', materialize: () => 1 );\n` });
});
afterAll(() => {
  removeProject(dir);
  removeProject(broken);
});

interface JsonError {
  error: { what: string; why: string | null; fix: string | null; file: string | null; line: number | null; exit_code: number; type: string };
}
const parseError = (stdout: string) => JSON.parse(stdout) as JsonError;

describe('synth --version', () => {
  it("prints synthgraph's own version, not the version of the project that runs it", () => {
    const { version } = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { version: string };
    const r = synth(dir, ['--version'], { npm_package_version: '9.9.9' });
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(version);
  });
});

describe('--json errors', () => {
  it('a definition error is {"error": {...}} on stdout with file and line, exit code unchanged (2), nothing on stderr', () => {
    const r = synth(broken, ['status', '--json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('');
    const { error } = parseError(r.stdout);
    expect(error.exit_code).toBe(2);
    expect(error.type).toBe('DefinitionError');
    expect(error.what).toContain('cannot be compiled');
    expect(error.file).toBe(path.join(broken, 'src/assets/index.ts'));
    expect(error.line).toBe(2);
    expect(error.fix).toBeTruthy();
  });
  it('the same error without --json stays text on stderr, stdout empty', () => {
    const r = synth(broken, ['status']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error: .*cannot be compiled/);
  });
  it('a usage error (unknown asset, unknown option) is JSON too', () => {
    const unknown = synth(dir, ['show', 'nope', '--json']);
    expect(unknown.code).toBe(2);
    expect(parseError(unknown.stdout).error).toMatchObject({ what: 'Unknown asset "nope".', exit_code: 2, type: 'UsageError', file: null, line: null });
    const option = synth(dir, ['status', '--frobnicate', '--json']);
    expect(option.code).toBe(2);
    expect(option.stderr).toBe('');
    expect(parseError(option.stdout).error.what).toContain("'--frobnicate'");
  });
});

describe('colour', () => {
  it('FORCE_COLOR colours output that is not a terminal, even with NO_COLOR; FORCE_COLOR=0 and --no-color do not', () => {
    expect(synth(dir, ['status'], { FORCE_COLOR: '1' }).stdout).toMatch(ANSI);
    expect(synth(dir, ['status'], { FORCE_COLOR: '0' }).stdout).not.toMatch(ANSI);
    expect(synth(dir, ['status', '--no-color'], { FORCE_COLOR: '1' }).stdout).not.toMatch(ANSI);
    expect(synth(dir, ['status'], { NO_COLOR: '1' }).stdout).not.toMatch(ANSI);
  });
});

describe('selections on the command line', () => {
  it("`synth status '*' group:g` selects everything (an item adding nothing new is fine)", () => {
    const r = synth(dir, ['status', '*', 'group:g', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { asset: string }[]).map((s) => s.asset)).toEqual(['a', 'b']);
  });
  it("`synth materialize 'sinks(*)' --force` re-runs only the sink", () => {
    expect(synth(dir, ['materialize']).code).toBe(0);
    const r = synth(dir, ['materialize', 'sinks(*)', '--force', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { assets: { asset: string }[] }).assets.map((s) => s.asset)).toEqual(['b']);
  });
});
