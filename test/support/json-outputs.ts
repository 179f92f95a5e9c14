import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { makeProject, synth, synthAsync, writeProjectFile } from './project.js';
import { startRedis } from './redis-server.js';

/**
 * A small project that has every kind of asset and a schedule: a source, a fitted dataset, a
 * validation with fidelity, a model and a plain asset.
 */
export const CONTRACT_DEFS = `
import { asset, checks, dataset, images, model, schedule, source, trainClassifier, evaluateClassifier, validation, z } from 'synthgraph';
export const real = source({ name: 'real', file: 'data/real.csv' });
export const Row = z.object({ kind: z.enum(['a', 'b']), size: z.number(), ok: z.boolean() });
export const synthRows = dataset({ name: 'synth_rows', schema: Row, prompt: 'rows_v1', rows: 60, seed: 1, reference: real });
export const fidelity = validation({ name: 'fidelity', deps: { synthetic: synthRows, real }, target: 'synthetic', reference: 'real', checks: [checks.schema({ blocking: true }), checks.fidelity({ threshold: 0.5 })] });
export const kindModel = model({ name: 'kind_model', deps: { synthRows, fidelity }, train: ({ synthRows }) => trainClassifier(synthRows, { target: 'kind', features: ['size'] }), evaluate: (m, { synthRows }) => ({ accuracy: evaluateClassifier(m, synthRows).accuracy }) });
export const summary = asset({ name: 'summary', deps: { synthRows }, materialize: (_ctx, { synthRows }) => ({ n: synthRows.length }) });
export const pictures = images({ name: 'pictures', deps: { synthRows }, prompt: 'pics_v1', size: '32x32' });
export const nightly = schedule({ name: 'nightly', cron: '0 3 * * *', select: 'synth_rows+' });
`;

const csv = ['kind,size,ok', ...Array.from({ length: 40 }, (_, i) => `${i % 3 === 0 ? 'a' : 'b'},${(10 + (i % 7) * 1.5).toFixed(1)},${i % 4 === 0}`)].join('\n') + '\n';

/** Every `--json` document the CLI prints, by the name docs/cli-contract.md gives it, from real `synth` processes. */
export async function collectJsonOutputs(mlflowUri: string): Promise<Record<string, unknown>> {
  const dir = makeProject({
    'src/assets/index.ts': CONTRACT_DEFS,
    'data/real.csv': csv,
    'prompts/rows_v1.yaml': 'prompt_id: rows_v1\ndomain: test\ntemplate: Generate {{rows}} rows\nrules: []\n',
    'prompts/pics_v1.yaml': 'prompt_id: pics_v1\ndomain: test\ntemplate: A {{kind}} thing of size {{size}}\n',
  });
  const out = mkdtempSync(path.join(tmpdir(), 'synth-contract-'));
  const env = { MLFLOW_TRACKING_URI: mlflowUri };
  const json = (args: string[], expectCode = 0): unknown => {
    const r = synth(dir, args, env);
    if (r.code !== expectCode) throw new Error(`synth ${args.join(' ')} exited ${r.code}:\n${r.stdout}\n${r.stderr}`);
    return JSON.parse(r.stdout) as unknown;
  };
  try {
    const docs: Record<string, unknown> = {};
    docs['materialize --dry-run'] = json(['materialize', '--dry-run', '--json']);
    docs['materialize'] = json(['materialize', '--json']);
    writeProjectFile(dir, 'data/real.csv', csv.replace('a,10.0', 'a,11.0'));
    json(['materialize', '--json']);
    // One line of each event a run streams, the result line last.
    const events = synth(dir, ['materialize', '--events', '--force', 'synth_rows'], env);
    if (events.code !== 0) throw new Error(`synth materialize --events exited ${events.code}:\n${events.stderr}`);
    docs['materialize --events'] = Object.values(
      Object.fromEntries(
        events.stdout
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l) as { event: string })
          .map((e) => [e.event, e]),
      ),
    );
    docs['status'] = json(['status', '--json']);
    docs['graph'] = json(['graph', '--format', 'json']);
    docs['show'] = json(['show', 'fidelity', '--json']);
    docs['history'] = json(['history', 'synth_rows', '--json']);
    docs['history --diff'] = json(['history', 'synth_rows', '--diff', '--json']);
    docs['lineage'] = json(['lineage', 'kind_model', '--json']);
    docs['lineage push'] = json(['lineage', 'push', '--json']);
    docs['export --out'] = json(['export', 'synth_rows', '--format', 'csv', '--out', path.join(out, 'rows.csv'), '--json']);
    docs['export --format imagefolder'] = json(['export', 'pictures', '--format', 'imagefolder', '--out', path.join(out, 'pictures'), '--json']);
    docs['report --format json'] = json(['report', 'fidelity', '--format', 'json']);
    docs['report --out'] = json(['report', 'fidelity', '--format', 'md', '--out', path.join(out, 'report.md'), '--json']);
    docs['schedules'] = json(['schedules', '--json']);
    docs['gc'] = json(['gc', '--dry-run', '--json']);
    docs['tune'] = json(['tune', 'rows_v1', '--from', 'real', '--dry-run', '--json']);
    docs['init'] = json(['init', path.join(out, 'new-project'), '--from', path.join(dir, 'data', 'real.csv'), '--json']);
    docs['error'] = json(['show', 'nope', '--json'], 2);
    docs['ui'] = (await linesUntil(dir, ['ui', '--port', '0', '--open=false', '--json'], () => true))[0];
    // One log entry of each event the daemon printed, up to the first finished run.
    const entries = await linesUntil(dir, ['daemon', '--cron', '* * * * * *', '--select', 'summary', '--force', '--json'], (e) => (e as { event?: string }).event === 'finished');
    docs['daemon'] = Object.values(Object.fromEntries(entries.map((e) => [(e as { event: string }).event, e])));
    // A worker's log through a real Redis, up to the first job it finished for a queued run.
    const redis = await startRedis();
    try {
      let run: ReturnType<typeof synthAsync> | undefined;
      const lines = await linesUntil(dir, ['worker', '--queue', redis.url, '--json'], (e) => {
        if ((e as { event?: string }).event === 'ready') run ??= synthAsync(dir, ['materialize', 'summary', '--force', '--queue', redis.url, '--json']);
        return (e as { event?: string }).event === 'job-finished';
      });
      docs['worker'] = Object.values(Object.fromEntries(lines.map((e) => [(e as { event: string }).event, e])));
      await run?.done;
    } finally {
      await redis.destroy();
    }
    return docs;
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(out, { recursive: true, force: true });
  }
}

/** Starts a long-running command, returns its JSON lines up to the first one accepted, then stops it (SIGTERM). */
async function linesUntil(dir: string, args: string[], accept: (entry: unknown) => boolean): Promise<unknown[]> {
  const run = synthAsync(dir, args);
  try {
    for (let waited = 0; waited < 60_000; waited += 100) {
      const seen: unknown[] = [];
      for (const line of run.output().stdout.split('\n').filter(Boolean)) {
        const entry = JSON.parse(line) as unknown;
        seen.push(entry);
        if (accept(entry)) return seen;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`synth ${args.join(' ')} printed no accepted JSON line:\n${run.output().stdout}\n${run.output().stderr}`);
  } finally {
    run.child.kill('SIGTERM');
    await run.done;
  }
}
