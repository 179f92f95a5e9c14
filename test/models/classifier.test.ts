import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Row } from '../../src/engine/rows.js';
import { UsageError } from '../../src/engine/errors.js';
import { encodeRows, evaluateClassifier, fitEncoder, loadClassifier, trainClassifier } from '../../src/models/index.js';

const penguinsPath = new URL('../../node_modules/vega-datasets/data/penguins.json', import.meta.url);
const penguins = JSON.parse(readFileSync(penguinsPath, 'utf8')) as Row[];

describe('feature encoding', () => {
  it('numeric as is with missing -> training mean; categorical one-hot, unknown -> all zeros', () => {
    const enc = fitEncoder(
      [
        { x: 1, c: 'a', y: 0 },
        { x: 3, c: 'b', y: 1 },
        { x: null, c: 'a', y: 0 },
      ],
      { target: 'y' },
    );
    expect(enc).toEqual([
      { kind: 'numeric', column: 'x', fill: 2 },
      { kind: 'categorical', column: 'c', vocabulary: ['a', 'b'] },
    ]);
    expect(encodeRows(enc, [{ x: 5, c: 'b' }, { c: 'zzz' }])).toEqual([
      [5, 0, 1],
      [2, 0, 0],
    ]);
  });
});

describe('trainClassifier', () => {
  for (const algorithm of ['random-forest', 'cart'] as const) {
    it(`${algorithm}: learns penguin species, toJSON -> load predicts the same`, () => {
      const model = trainClassifier(penguins, { target: 'Species', algorithm, seed: 3 });
      expect(model.score(penguins)).toBeGreaterThan(0.95);
      const restored = loadClassifier(JSON.parse(JSON.stringify(model.toJSON())));
      expect(restored.predict(penguins)).toEqual(model.predict(penguins));
      expect(restored.toJSON()).toEqual(model.toJSON());
      expect([...restored.labels].sort()).toEqual(['Adelie', 'Chinstrap', 'Gentoo']);
    });
  }

  it('is deterministic for a seed and differs across seeds', () => {
    const a = trainClassifier(penguins, { target: 'Species', seed: 1 }).toJSON();
    const b = trainClassifier(penguins, { target: 'Species', seed: 1 }).toJSON();
    const c = trainClassifier(penguins, { target: 'Species', seed: 2 }).toJSON();
    expect(a).toEqual(b);
    expect(c.trees).not.toEqual(a.trees);
  });

  it('predicts rows with unseen categories and missing values without crashing', () => {
    const model = trainClassifier(penguins, { target: 'Species', seed: 1 });
    const odd = [{ Island: 'Atlantis', Sex: 'OTHER' }, {}];
    expect(model.predict(odd)).toHaveLength(2);
    for (const p of model.predict(odd)) expect(model.labels).toContain(p);
  });

  it('rejects bad options, an unlabelled target and a corrupt saved model', () => {
    expect(() => trainClassifier(penguins, { target: '' })).toThrow(UsageError);
    expect(() => trainClassifier(penguins, { target: 'Nope' })).toThrow(/target "Nope" is not a column of the training rows/);
    const thrown = (f: () => unknown): UsageError => {
      try {
        f();
      } catch (err) {
        return err as UsageError;
      }
      throw new Error('did not throw');
    };
    expect(thrown(() => trainClassifier(penguins, { target: 'species' })).fix).toContain('Did you mean "Species"?');
    const feature = thrown(() => trainClassifier(penguins, { target: 'Species', features: ['Island', 'Sexx'] }));
    expect([feature.what, feature.fix]).toEqual([
      'trainClassifier: features "Sexx" is not a column of the training rows.',
      'Did you mean "Sex"? Fix features in the trainer\'s options.',
    ]);
    const option = thrown(() => trainClassifier(penguins, { target: 'Species', featurs: ['Island'] } as never));
    expect([option.what, option.why]).toEqual(['Unknown option "featurs" in trainClassifier.', expect.stringContaining('Did you mean "features"?')]);
    const json = trainClassifier(penguins, { target: 'Species', algorithm: 'cart' }).toJSON();
    expect(() => loadClassifier({ ...json, format: 'other' })).toThrow(/not a synthgraph classifier/);
    const broken = { ...json, trees: [{ ...json.trees[0], value: json.trees[0].value.map(() => 99) }] };
    expect(() => loadClassifier(broken)).toThrow(/corrupt/);
  });
});

describe('evaluateClassifier', () => {
  it('accuracy, macro F1 and positive-label F1 from the confusion matrix (hand-worked)', () => {
    // A model that always predicts "yes" (the only training class) on truth [yes, yes, no, no]:
    // accuracy 0.5; F1(yes) = 2·2/(2·2+2+0) = 2/3; F1(no) = 0; macro = 1/3.
    const model = trainClassifier(
      [
        { x: 1, y: 'yes' },
        { x: 2, y: 'yes' },
      ],
      { target: 'y', algorithm: 'cart' },
    );
    const rows = [
      { x: 1, y: 'yes' },
      { x: 2, y: 'yes' },
      { x: 3, y: 'no' },
      { x: 4, y: 'no' },
      { x: 5, y: null },
    ];
    const e = evaluateClassifier(model, rows, { positiveLabel: 'yes' });
    expect(e.n).toBe(4);
    expect(e.accuracy).toBe(0.5);
    expect(e.f1).toBeCloseTo(2 / 3, 12);
    expect(e.macro_f1).toBeCloseTo(1 / 3, 12);
    expect(e.labels).toEqual(['yes', 'no']);
    expect(e.confusion).toEqual([
      [2, 0],
      [2, 0],
    ]);
  });
});
