/**
 * The penguins pipeline: real Palmer penguins (shipped by the vega-datasets package) as a source,
 * a seeded 70/30 split of them, a synthetic copy fitted to the training part only, and
 * - `penguins_fidelity`: synthetic vs real (KSComplement, TVComplement, correlation similarity, PSI);
 * - `species_tstr`: a species classifier trained on synthetic vs on real rows (TSTR vs TRTR),
 *   both tested on the real hold-out the generator never saw;
 * - `species_model`: the species classifier trained on the synthetic data, kept as a model;
 * - `penguins_live` / `penguins_live_drift`: CSV batches dropped in data/live/ and their drift
 *   against the synthetic data, with suggestions for prompts/penguins_v1.yaml.
 */
import { z } from 'zod';
import { asset, checks, dataset, evaluateClassifier, model, source, splitRows, trainClassifier, validation } from 'synthgraph';

export const Penguin = z.object({
  Species: z.enum(['Adelie', 'Chinstrap', 'Gentoo']),
  Island: z.enum(['Biscoe', 'Dream', 'Torgersen']),
  'Beak Length (mm)': z.number().positive().nullable(),
  'Beak Depth (mm)': z.number().positive().nullable(),
  'Flipper Length (mm)': z.number().int().positive().nullable(),
  'Body Mass (g)': z.number().int().positive().nullable(),
  Sex: z.enum(['MALE', 'FEMALE']).nullable(),
});
type Penguin = z.infer<typeof Penguin>;

const pipeline = { pipeline: 'penguins' };

export const penguins = source<Penguin>({
  name: 'penguins',
  description: 'Palmer penguins (real), from the vega-datasets package',
  file: { package: 'vega-datasets', path: 'data/penguins.json' },
  tags: pipeline,
});

/**
 * The real hold-out: 30% of the real rows, seed 7. `checks.utility({ holdout: 0.3, seed: 7 })`
 * holds out exactly these rows, so the generator (fitted to the other 70%) never sees them.
 */
const split = { test: 0.3, seed: 7 };

export const penguinsTrain = asset({
  name: 'penguins_train',
  description: 'the 70% training split of the real penguins (seed 7) that the generator is fitted to',
  deps: { penguins },
  materialize: (_ctx, { penguins }) => splitRows(penguins, split).train,
  tags: pipeline,
});

export const penguinsSynth = dataset({
  name: 'penguins_synth',
  description: 'synthetic penguins fitted to the real training split (class-conditional by species)',
  schema: Penguin,
  prompt: 'penguins_v1',
  rows: 1000,
  seed: 42,
  generator: { provider: 'local' },
  reference: penguinsTrain,
  tags: pipeline,
});

export const penguinsFidelity = validation({
  name: 'penguins_fidelity',
  description: 'synthetic vs real penguins: column shapes, pair trends and PSI',
  deps: { synthetic: penguinsSynth, real: penguins },
  target: 'synthetic',
  reference: 'real',
  checks: [
    checks.schema({ blocking: true }),
    // The real data misses Sex for 2.9% of the birds; the synthetic copy may too, not much more.
    checks.completeness({ maxNullRate: 0.02, perColumn: { Sex: 0.08 } }),
    checks.fidelity({ threshold: 0.8, seed: 0 }),
  ],
  tags: pipeline,
});

const features = ['Island', 'Beak Length (mm)', 'Beak Depth (mm)', 'Flipper Length (mm)', 'Body Mass (g)', 'Sex'];

export const speciesTstr = validation({
  name: 'species_tstr',
  description: 'train on synthetic, test on real (TSTR) vs train on real (TRTR): species, macro F1',
  deps: { synthetic: penguinsSynth, real: penguins },
  target: 'synthetic',
  reference: 'real',
  checks: [checks.utility({ target: 'Species', features, holdout: split.test, seed: split.seed, threshold: 0.9 })],
  tags: pipeline,
});

const trainer = { target: 'Species', features, algorithm: 'random-forest' as const, seed: 7 };

export const speciesModel = model({
  name: 'species_model',
  description: 'species classifier trained on synthetic penguins, evaluated on the real hold-out',
  // The fidelity report is a dependency so that a failed blocking check stops training.
  deps: { train: penguinsSynth, real: penguins, fidelity: penguinsFidelity },
  config: { ...trainer, holdout: split },
  // Checked against penguins_synth's schema before anything runs: a misspelt column is an error.
  columns: { input: 'train', target: trainer.target, features },
  train: ({ train }) => trainClassifier(train, trainer),
  evaluate: (m, { real }) => {
    const { accuracy, macro_f1, n } = evaluateClassifier(m, splitRows(real, split).test);
    return { accuracy, macro_f1, test_rows: n };
  },
  tags: pipeline,
});

export const penguinsLive = source<Penguin>({
  name: 'penguins_live',
  description: 'live penguin batches: every CSV dropped in data/live/',
  file: 'data/live/*.csv',
  tags: pipeline,
});

export const penguinsLiveDrift = validation({
  name: 'penguins_live_drift',
  description: 'drift of the live batches against the synthetic penguins (PSI, KS), with prompt suggestions',
  deps: { live: penguinsLive, synthetic: penguinsSynth },
  target: 'live',
  reference: 'synthetic',
  // Not blocking: drift is news for the prompt's author, not a reason to stop the pipeline.
  checks: [checks.drift({ prompt: 'penguins_v1', bins: 5 })],
  tags: pipeline,
});
