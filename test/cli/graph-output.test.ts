import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeProject, removeProject, synth, synthJson, SYNTH } from '../support/project.js';

const GOLDEN = fileURLToPath(new URL('./golden/', import.meta.url));
// eslint-disable-next-line no-control-regex -- ESC starts an ANSI colour code, which these tests look for
const ESC = /\x1b\[/;

/**
 * Compares with a file under test/cli/golden/. `UPDATE_GOLDEN=1` rewrites the files: do that
 * when the example pipelines change on purpose, and review the diff.
 */
function golden(name: string, actual: string): void {
  const file = path.join(GOLDEN, name);
  if (process.env.UPDATE_GOLDEN === '1' || !existsSync(file)) {
    mkdirSync(GOLDEN, { recursive: true });
    writeFileSync(file, actual);
  }
  expect(actual, `golden ${name} (UPDATE_GOLDEN=1 to accept a deliberate change)`).toBe(readFileSync(file, 'utf8'));
}

interface GraphJson {
  nodes: { asset: string; kind: string; state: string }[];
  edges: { from: string; to: string }[];
}

describe('synth graph on the example pipelines (fresh project: every asset missing)', () => {
  let dir: string;
  beforeAll(() => {
    dir = makeProject({}, { examples: true });
  });
  afterAll(() => removeProject(dir));

  it('text, mermaid and json match the golden files', () => {
    for (const [format, file] of [
      ['text', 'graph.txt'],
      ['mermaid', 'graph.mmd'],
      ['json', 'graph.json'],
    ] as const) {
      const r = synth(dir, ['graph', '--format', format]);
      expect(r.code, r.stderr).toBe(0);
      golden(file, r.stdout);
    }
    const json = JSON.parse(readFileSync(path.join(GOLDEN, 'graph.json'), 'utf8')) as GraphJson;
    // The golden itself is sane: both pipelines, every asset missing, the contract's fields only.
    expect(json.nodes.map((n) => n.asset)).toEqual(expect.arrayContaining(['products', 'products_report', 'category_model', 'penguins', 'penguins_synth', 'species_model']));
    expect(new Set(json.nodes.map((n) => n.state))).toEqual(new Set(['missing']));
    expect(Object.keys(json.nodes[0]).sort()).toEqual(['asset', 'kind', 'state']);
    expect(json.edges).toContainEqual({ from: 'products', to: 'products_report' });
  });

  it('a selection limits what is drawn, in every format', () => {
    const sel = synthJson<GraphJson>(dir, ['graph', '+category_model']).json;
    expect(sel.nodes.map((n) => n.asset).sort()).toEqual(['category_model', 'products', 'products_report']);
    expect(sel.edges).toHaveLength(3);
    const text = synth(dir, ['graph', 'products+1']).stdout;
    expect(text).toContain('products_report');
    expect(text).not.toContain('penguins');
    const mermaid = synth(dir, ['graph', 'penguins_synth', '--format', 'mermaid']).stdout;
    expect(mermaid).toContain('n_penguins_synth');
    expect(mermaid).not.toContain('-->');
  });

  it('dot -Tsvg accepts the DOT of each pipeline and of the whole project, with a node per asset', () => {
    for (const selection of [['+category_model'], ['+species_model'], []]) {
      const r = synth(dir, ['graph', ...selection, '--format', 'dot']);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/fillcolor="#fdecea"/); // missing
      const svg = spawnSync('dot', ['-Tsvg'], { input: r.stdout, encoding: 'utf8' });
      expect(svg.error, 'Graphviz `dot` must be installed (scripts/setup-test-env.sh)').toBeUndefined();
      expect(svg.stderr).toBe('');
      expect(svg.status).toBe(0);
      const nodes = synthJson<GraphJson>(dir, ['graph', ...selection]).json.nodes;
      for (const n of nodes) expect(svg.stdout).toContain(`<title>${n.asset}</title>`);
    }
    const shapes = synth(dir, ['graph', '--format', 'dot']).stdout;
    expect(shapes).toMatch(/"penguins" \[.*shape=cylinder/);
    expect(shapes).toMatch(/"products_report" \[.*shape=hexagon/);
    expect(shapes).toMatch(/"category_model" \[.*shape=box3d/);
  });

  it('colours on a terminal or with FORCE_COLOR, and no escape codes with NO_COLOR, --no-color or when not a terminal', () => {
    const run = (args: string[], env: Record<string, string | undefined>) => {
      const e = { ...process.env, ...env };
      for (const [k, v] of Object.entries(env)) if (v === undefined) delete e[k];
      return spawnSync(process.execPath, [SYNTH, ...args], { cwd: dir, encoding: 'utf8', env: e });
    };
    // A real terminal (util-linux `script` gives the command a pty): colours are on, so the checks below mean something.
    const tty = spawnSync('script', ['-qec', `${process.execPath} ${SYNTH} graph`, '/dev/null'], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '', TERM: 'xterm-256color' },
    });
    expect(tty.status).toBe(0);
    expect(tty.stdout).toMatch(ESC);
    for (const args of [['graph'], ['status'], ['history', 'products'], ['lineage', 'products'], ['graph', '--format', 'dot']]) {
      const piped = run(args, { NO_COLOR: undefined, FORCE_COLOR: undefined });
      expect(piped.status, piped.stderr).toBe(0);
      expect(piped.stdout, `synth ${args.join(' ')} piped`).not.toMatch(ESC);
      const noColor = run(args, { NO_COLOR: '1', FORCE_COLOR: undefined });
      expect(noColor.stdout).not.toMatch(ESC);
    }
    // FORCE_COLOR colours piped output (CI logs), as Node and chalk read it; FORCE_COLOR=0 does not.
    for (const args of [['graph'], ['status']]) {
      expect(run(args, { NO_COLOR: undefined, FORCE_COLOR: '3' }).stdout, `synth ${args.join(' ')} FORCE_COLOR=3`).toMatch(ESC);
      expect(run(args, { NO_COLOR: undefined, FORCE_COLOR: '0' }).stdout).not.toMatch(ESC);
    }
    const flag = spawnSync('script', ['-qec', `${process.execPath} ${SYNTH} status --no-color`, '/dev/null'], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '', TERM: 'xterm-256color' },
    });
    expect(flag.stdout).toContain('missing');
    expect(flag.stdout).not.toMatch(ESC);
    const envOff = spawnSync('script', ['-qec', `${process.execPath} ${SYNTH} status`, '/dev/null'], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1', TERM: 'xterm-256color' },
    });
    expect(envOff.stdout).toContain('missing');
    expect(envOff.stdout).not.toMatch(ESC);
  });
});
