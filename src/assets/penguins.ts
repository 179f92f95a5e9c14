/**
 * The penguins pipeline: real Palmer penguins (shipped by the vega-datasets package) as a source,
 * a synthetic copy fitted to them, and a species classifier trained on the synthetic data and
 * tested on the real data (train synthetic, test real).
 */
import { z } from 'zod';
import { dataset, evaluateClassifier, model, source, trainClassifier } from 'synthgraph';

export const Penguin = z.object({
  Species: z.enum(['Adelie', 'Chinstrap', 'Gentoo']),
  Island: z.enum(['Biscoe', 'Dream', 'Torgersen']),
  'Beak Length (mm)': z.number().positive().nullable(),
  'Beak Depth (mm)': z.number().positive().nullable(),
  'Flipper Length (mm)': z.number().int().positive().nullable(),
  'Body Mass (g)': z.number().int().positive().nullable(),
  Sex: z.enum(['MALE', 'FEMALE']).nullable(),
});

const pipeline = { pipeline: 'penguins' };

export const penguins = source({
  name: 'penguins',
  description: 'Palmer penguins (real), from the vega-datasets package',
  file: { package: 'vega-datasets', path: 'data/penguins.json' },
  tags: pipeline,
});

export const penguinsSynth = dataset({
  name: 'penguins_synth',
  description: 'synthetic penguins fitted to the real ones (class-conditional by species)',
  schema: Penguin,
  prompt: 'penguins_v1',
  rows: 1000,
  seed: 42,
  generator: { provider: 'local' },
  reference: penguins,
  tags: pipeline,
});

const trainer = {
  target: 'Species',
  features: ['Island', 'Beak Length (mm)', 'Beak Depth (mm)', 'Flipper Length (mm)', 'Body Mass (g)', 'Sex'],
  algorithm: 'random-forest' as const,
  seed: 7,
};

export const speciesModel = model({
  name: 'species_model',
  description: 'species classifier trained on synthetic penguins, evaluated on the real ones',
  deps: { train: penguinsSynth, real: penguins },
  config: trainer,
  train: ({ train }) => trainClassifier(train, trainer),
  evaluate: (m, { real }) => {
    const { accuracy, macro_f1, n } = evaluateClassifier(m, real);
    return { accuracy, macro_f1, test_rows: n };
  },
  tags: pipeline,
});
