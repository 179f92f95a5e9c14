import { mkdtempSync, rmSync, writeFileSync, createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { readSourceRows } from '../../src/engine/source-files.js';
import { SourceDataError } from '../../src/engine/source-reader.js';
import { makeProject, removeProject, synth } from '../support/project.js';

const dir = mkdtempSync(path.join(tmpdir(), 'synth-ingest-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
function file(name: string, text: string): string {
  const f = path.join(dir, name);
  writeFileSync(f, text);
  return f;
}
async function failure(files: string[], options = {}): Promise<SourceDataError> {
  const err = await readSourceRows(files, options).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(SourceDataError);
  return err as SourceDataError;
}

describe('strict, lossless source ingestion', () => {
  it('an unbalanced quote is an error naming the line where the record starts, not 12 rows', async () => {
    const lines = ['id,name,price'];
    for (let i = 1; i <= 400; i++) lines.push(i === 12 ? `12,"Widget,3.5` : `${i},item ${i},${i}.5`);
    const err = await failure([file('quote.csv', lines.join('\n') + '\n')]);
    expect(err.line).toBe(13);
    expect(err.file).toMatch(/quote\.csv$/);
    expect(err.what).toMatch(/quote opened on this line is never closed/);
    expect(err.exitCode).toBe(2);
  });

  it('an unbalanced quote closed by a later one names the line where it breaks', async () => {
    const err = await failure([file('quote2.csv', 'a,b\n1,"x\n2,y"z\n3,w\n')]);
    expect(err.line).toBe(3);
  });

  it('a line with extra or missing fields is an error with file:line; skip leaves it out and counts it', async () => {
    const f = file('fields.csv', 'a,b\n1,2\n3,4,5\n6\n7,8\n');
    const err = await failure([f]);
    expect(err.line).toBe(3);
    expect(err.what).toContain('3 field(s) where the header has 2');
    const { rows, skipped } = await readSourceRows([f], { onBadLine: 'skip' });
    expect(rows).toEqual([
      { a: 1, b: 2 },
      { a: 7, b: 8 },
    ]);
    expect(skipped.map((s) => s.line)).toEqual([3, 4]);
  });

  it('an unclosed quote is an error even with onBadLine: skip (it would swallow the rest of the file)', async () => {
    const err = await failure([file('quote3.csv', 'a,b\n1,2\n3,"x\n4,5\n')], { onBadLine: 'skip' });
    expect(err.line).toBe(3);
  });

  it('keeps text: leading zeros and dates survive; BOM and CRLF are handled', async () => {
    const f = file('text.csv', '\uFEFFzip,day,n,flag,note\r\n01234,2012-01-01,1.5,true,\r\n98765,2013-02-03,-2,false,x\r\n');
    const { rows } = await readSourceRows([f]);
    expect(rows).toEqual([
      { zip: '01234', day: '2012-01-01', n: 1.5, flag: true, note: null },
      { zip: '98765', day: '2013-02-03', n: -2, flag: false, note: 'x' },
    ]);
  });

  it('a declared schema decides the types, and a cell that breaks it names file:line', async () => {
    const schema = z.object({ zip: z.number().int(), code: z.string() });
    const ok = await readSourceRows([file('schema.csv', 'zip,code\n1234,007\n')], { schema });
    expect(ok.rows).toEqual([{ zip: 1234, code: '007' }]);
    const err = await failure([file('schema-bad.csv', 'zip,code\n1234,007\nabc,008\n')], { schema });
    expect(err.line).toBe(3);
    expect(err.what).toContain('column "zip"');
  });

  it('reads TSV, and JSONL with a bad line names it', async () => {
    const { rows } = await readSourceRows([file('t.tsv', 'a\tb\n1\tx y\n')]);
    expect(rows).toEqual([{ a: 1, b: 'x y' }]);
    const err = await failure([file('bad.jsonl', '{"a":1}\n{"a":\n{"a":3}\n')]);
    expect(err.line).toBe(2);
    const skipped = await readSourceRows([path.join(dir, 'bad.jsonl')], { onBadLine: 'skip' });
    expect(skipped.rows).toEqual([{ a: 1 }, { a: 3 }]);
  });

  it('streams a 1M-row CSV without holding its text', async () => {
    const f = path.join(dir, 'big.csv');
    const out = createWriteStream(f);
    out.write('id,code,value\n');
    for (let i = 0; i < 1_000_000; i++) if (!out.write(`${i},C${i % 97},${i % 1000}.25\n`)) await once(out, 'drain');
    out.end();
    await once(out, 'finish');
    const { rows } = await readSourceRows([f]);
    expect(rows.length).toBe(1_000_000);
    expect(rows[999_999]).toEqual({ id: 999_999, code: 'C' + (999_999 % 97), value: 999.25 });
  }, 120_000);

  it('synth materialize exits 2 naming file:line for a malformed CSV source', () => {
    const project = makeProject({
      'src/assets/index.ts': `
        import { source } from 'synthgraph';
        export const items = source({ name: 'items', file: 'data/items.csv' });`,
      'data/items.csv': 'id,name\n1,"ok"\n2,"broken\n3,fine\n',
    });
    try {
      const r = synth(project, ['materialize']);
      expect(r.code).toBe(2);
      expect(r.stdout + r.stderr).toMatch(/Malformed line 3 in .*items\.csv/);
    } finally {
      removeProject(project);
    }
  });
});

describe('reserved column names', () => {
  it('a header cell "__proto__" is an error at line 1, not a silently lost column', async () => {
    const err = await failure([file('proto.csv', 'a,__proto__\n1,2\n')]);
    expect(err.line).toBe(1);
    expect(err.what).toContain('"__proto__"');
  });
});
