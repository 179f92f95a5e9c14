import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Materialization } from '../../src/engine/catalog-records.js';
import { readStateFile, stateFileBytes } from '../../src/engine/catalog-state.js';

const dir = mkdtempSync(path.join(tmpdir(), 'synth-catalog-state-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function record(asset: string, fields: Partial<Materialization> = {}): Materialization {
  return {
    id: `mat_${asset}_${fields.status ?? 'success'}`,
    run_id: 'run_1',
    asset,
    kind: 'asset',
    status: 'success',
    outcome: 'materialized',
    cache_key: 'c'.repeat(64),
    key_inputs: { kind: 'asset', name: asset, code: 'v:1', prompt: null, seed: null, generator: null, rows: null, upstream: {}, observed: null },
    data_hash: 'd'.repeat(64),
    format: 'json',
    csv_hash: null,
    bytes: 12,
    upstream: {},
    prompt_id: null,
    prompt_hash: null,
    seed: null,
    generator: null,
    rows: null,
    started_at: '2026-01-01T00:00:00.000Z',
    finished_at: '2026-01-01T00:00:01.000Z',
    duration_ms: 1000,
    metadata: { note: 'é ✓' },
    warnings: [],
    error: null,
    reused_from: null,
    ...fields,
  };
}

const ok = record('a');
const checked = record('v', { kind: 'validation', checks: [{ name: 'ks', score: 0.5, passed: false, threshold: 0.8, blocking: true, summary: 'drift ≥ 0.3' }] });
const success = record('c');
const failed = record('c', { status: 'failed', outcome: 'failed', data_hash: null, bytes: null, format: null, error: { what: 'boom' } });
const current = [
  { last: ok, success: ok },
  { last: checked, success: checked },
  { last: failed, success },
];

describe('state.jsonl', () => {
  const file = path.join(dir, 'state.jsonl');
  writeFileSync(file, stateFileBytes({ segment: 3, offset: 42 }, current));

  it('gives back every record as written: the same JSON, keys in their order, spread and fields', () => {
    const read = readStateFile(file)!;
    expect(read.position).toEqual({ segment: 3, offset: 42 });
    expect(read.assets).toHaveLength(3);
    const [a, v, c] = read.assets;
    expect(a.success).toBe(a.last);
    expect(c.last).not.toBe(c.success);
    expect(c.success!.status).toBe('success');
    for (const [got, want] of [
      [a.last, ok],
      [v.last, checked],
      [c.last, failed],
      [c.success!, success],
    ] as const) {
      expect(JSON.stringify(got)).toBe(JSON.stringify(want));
      expect({ ...got }).toEqual(want);
      expect(Object.keys(got)).toEqual(Object.keys(want));
      expect(got.key_inputs).toEqual(want.key_inputs);
    }
    expect(v.last.checks).toEqual(checked.checks);
    expect(a.last.checks).toBeUndefined();
    expect('checks' in a.last).toBe(false);
  });

  it('answers the indexed fields without parsing a record line, and copies unread lines when written again', () => {
    const read = readStateFile(file)!;
    // Break every record line but keep its length: indexed fields still answer, others fail loudly.
    const bytes = Buffer.from(stateFileBytes({ segment: 3, offset: 42 }, read.assets));
    const nl = bytes.indexOf(0x0a);
    for (let i = nl + 1; i < bytes.length; i++) if (bytes[i] !== 0x0a) bytes[i] = 0x20;
    const broken = path.join(dir, 'broken.jsonl');
    writeFileSync(broken, bytes);
    const again = readStateFile(broken)!;
    const [a, v] = again.assets;
    expect([a.last.id, a.last.cache_key, a.last.data_hash, a.last.bytes, a.last.status, a.last.rows]).toEqual([ok.id, ok.cache_key, ok.data_hash, ok.bytes, 'success', null]);
    expect(v.last.checks).toEqual(checked.checks);
    expect(() => a.last.key_inputs).toThrow(/broken\.jsonl is damaged/);
    // Written from records nobody read: the same bytes as the file they came from.
    expect(stateFileBytes({ segment: 3, offset: 42 }, readStateFile(file)!.assets)).toEqual(stateFileBytes({ segment: 3, offset: 42 }, current));
  });
});
