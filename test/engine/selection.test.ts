import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The engine knows no asset kind: the built-in ones register here, as in the CLI.
import '../../src/builtin-plugins.js';
import { UsageError } from '../../src/engine/errors.js';
import { loadProject, type Project } from '../../src/engine/project.js';
import { resolveSelection } from '../../src/engine/selection.js';
import { makeProject, removeProject } from '../support/project.js';

// raw_orders → orders_clean ─┐
//                            ├→ joined → summary      lonely
// raw_users ─────────────────┘
const defs = `
import { asset } from 'synthgraph';
const f = () => 1;
export const raw_orders = asset({ name: 'raw_orders', group: 'sales', materialize: f });
export const raw_users = asset({ name: 'raw_users', group: 'users', materialize: f });
export const orders_clean = asset({ name: 'orders_clean', group: 'sales', deps: { raw_orders }, tags: { tier: 'gold' }, materialize: f });
export const joined = asset({ name: 'joined', group: 'analytics', deps: { orders_clean, raw_users }, materialize: f });
export const summary = asset({ name: 'summary', group: 'analytics', deps: { joined }, tags: { tier: 'gold' }, materialize: f });
export const lonely = asset({ name: 'lonely', group: 'misc', materialize: f });
`;

let dir: string;
let project: Project;
beforeAll(async () => {
  dir = makeProject({ 'src/assets/index.ts': defs });
  project = await loadProject({ root: dir });
});
afterAll(() => removeProject(dir));

const select = (...items: string[]) => [...resolveSelection(project, items)].sort();
const failure = (...items: string[]): UsageError => {
  try {
    resolveSelection(project, items);
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return err as UsageError;
  }
  throw new Error(`selection ${items.join(' ')} did not fail`);
};

describe('selection: unions', () => {
  it('an item that adds nothing new to the union is not taken for "no match"', () => {
    expect(select('*', 'group:sales')).toEqual(select('*'));
    expect(select('group:sales', 'group:sales', 'orders_clean')).toEqual(['orders_clean', 'raw_orders']);
  });
  it('spaces, commas and `or` are unions', () => {
    expect(select('raw_orders lonely')).toEqual(['lonely', 'raw_orders']);
    expect(select('raw_orders,lonely')).toEqual(['lonely', 'raw_orders']);
    expect(select('raw_orders or lonely')).toEqual(['lonely', 'raw_orders']);
  });
  it('an atom that matches nothing is still an error, naming it', () => {
    expect(failure('*', 'group:nope').what).toBe('Selection "group:nope" matches no asset.');
    expect(failure('summary', 'key:nope_*').what).toBe('Selection "key:nope_*" matches no asset.');
    expect(failure('sumary').fix).toContain('"summary"');
  });
});

describe('selection: key globs', () => {
  it('key: takes a glob, a bare name may be one too', () => {
    expect(select('key:raw_*')).toEqual(['raw_orders', 'raw_users']);
    expect(select('raw_*')).toEqual(['raw_orders', 'raw_users']);
    expect(select('key:*_clean')).toEqual(['orders_clean']);
    expect(select('key:summary')).toEqual(['summary']);
  });
  it('globs take the + operators', () => {
    expect(select('key:orders_*+1')).toEqual(['joined', 'orders_clean']);
  });
});

describe('selection: and / or / not with parentheses', () => {
  it('and intersects, not complements, not binds tighter than and, and tighter than or', () => {
    expect(select('group:analytics and tag:tier=gold')).toEqual(['summary']);
    expect(select('not group:analytics')).toEqual(['lonely', 'orders_clean', 'raw_orders', 'raw_users']);
    expect(select('lonely or group:sales and tag:tier')).toEqual(['lonely', 'orders_clean']);
    expect(select('(lonely or group:sales) and tag:tier')).toEqual(['orders_clean']);
    expect(select('(group:sales or group:users) and not key:raw_*')).toEqual(['orders_clean']);
    expect(select('NOT group:analytics AND NOT lonely')).toEqual(['orders_clean', 'raw_orders', 'raw_users']);
  });
  it('+ and +N apply to a parenthesised group', () => {
    expect(select('+(joined)')).toEqual(['joined', 'orders_clean', 'raw_orders', 'raw_users']);
    expect(select('(raw_orders or raw_users)+1')).toEqual(['joined', 'orders_clean', 'raw_orders', 'raw_users']);
    expect(select('1+(summary)')).toEqual(['joined', 'summary']);
    expect(select('2+summary')).toEqual(['joined', 'orders_clean', 'raw_users', 'summary']);
  });
  it('an empty result of a well-formed expression is an empty selection, not an error', () => {
    expect(select('group:sales and group:users')).toEqual([]);
  });
});

describe('selection: roots() and sinks()', () => {
  it('roots are the selected assets with no selected parent, sinks those with no selected child', () => {
    expect(select('roots(+summary)')).toEqual(['raw_orders', 'raw_users']);
    expect(select('sinks(*)')).toEqual(['lonely', 'summary']);
    expect(select('sinks(group:sales)')).toEqual(['orders_clean']);
    expect(select('roots(group:analytics)')).toEqual(['joined']);
    expect(select('roots(group:analytics)+')).toEqual(['joined', 'summary']);
    expect(select('+sinks(group:sales)')).toEqual(['orders_clean', 'raw_orders']);
  });
});

describe('selection: syntax errors are usage errors that say where', () => {
  it.each([
    ['roots(summary', 'a parenthesis is not closed'],
    ['frobnicate(summary)', 'unknown function "frobnicate"'],
    ['summary and', 'it ends where a selection was expected'],
    ['summary )', 'unexpected ")"'],
    ['+ and summary', 'must stand before'],
  ])('%s', (item, message) => {
    const err = failure(item);
    expect(err.what).toContain(message);
    expect(err.exitCode).toBe(2);
    expect(err.why).toContain('roots(X)');
  });
});
