import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { collectJsonOutputs } from '../support/json-outputs.js';
import { REPO } from '../support/project.js';
import { documentedShapes, shapeDifferences } from './json-shape.js';

const contract = readFileSync(path.join(REPO, 'docs', 'cli-contract.md'), 'utf8');
const documented = documentedShapes(contract);
let outputs: Record<string, unknown>;
beforeAll(async () => {
  outputs = await collectJsonOutputs(inject('mlflowUri'));
}, 300_000);

describe('docs/cli-contract.md: every --json output of real synth processes has the documented shape', () => {
  it('documents every JSON output the CLI prints, and no output it does not', () => {
    expect([...documented.keys()].sort()).toEqual(Object.keys(outputs).sort());
  });

  it.each([...documented.keys()])('%s', (name) => {
    const { format, shapes } = documented.get(name)!;
    const real = outputs[name];
    if (format === 'json') {
      expect(shapeDifferences(shapes[0], real)).toEqual([]);
      return;
    }
    // JSON Lines: each real entry against the documented line of the same event.
    const byEvent = new Map(shapes.map((s) => [(s as { event: string }).event, s]));
    for (const entry of real as { event: string }[]) {
      expect(byEvent.has(entry.event), `event ${entry.event} is documented`).toBe(true);
      expect(shapeDifferences(byEvent.get(entry.event), entry)).toEqual([]);
    }
  });

  it('the checker itself finds an undocumented field, a missing one and a wrong type', () => {
    expect(shapeDifferences({ a: 1, 'b?': 'x', c: [{ d: true }] }, { a: 2, c: [{ d: false }] })).toEqual([]);
    expect(shapeDifferences({ a: 1 }, { a: 1, extra: 2 })).toEqual(['$.extra: in the output, not documented']);
    expect(shapeDifferences({ a: 1, b: 2 }, { a: 1 })).toEqual(['$.b: documented, missing from the output']);
    expect(shapeDifferences({ a: [{ d: true }] }, { a: [{ d: 'yes' }] })).toEqual(['$.a[0].d: documented as boolean, got string ("yes")']);
    expect(shapeDifferences({ m: { '…': 0 } }, { m: { x: 1, y: 'two' } })).toEqual(['$.m.y: documented as number, got string ("two")']);
  });

  it('the README points at this contract', () => {
    expect(readFileSync(path.join(REPO, 'README.md'), 'utf8')).toContain('docs/cli-contract.md');
  });
});
