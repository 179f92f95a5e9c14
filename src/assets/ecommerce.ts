/**
 * The ecommerce pipeline of the seed article: 500 synthetic products from prompts/ecommerce_v1.yaml,
 * a validation report that blocks on rule violations, and a category classifier trained on them;
 * then a picture of every product (offline by default), checked, and a classifier that reads the
 * pictures' colours with the price.
 */
import { z } from 'zod';
import { checks, dataset, schedule, evaluateClassifier, HUE_FEATURES, imageFeatureRows, images, model, splitRows, trainClassifier, validation } from 'synthgraph';

export const Product = z.object({
  name: z.string().min(1).describe('product name'),
  description: z.string().min(1).describe('one-sentence product description'),
  category: z.enum(['Electronics', 'Home', 'Books', 'Toys', 'Sports']).describe('product category'),
  price: z.number().positive().describe('price in USD'),
  features: z.array(z.string()).min(1).describe('short feature phrases'),
});

const pipeline = { pipeline: 'ecommerce' };

export const products = dataset({
  name: 'products',
  description: 'synthetic product catalogue',
  schema: Product,
  prompt: 'ecommerce_v1',
  rows: 500,
  seed: 42,
  generator: { provider: 'local' },
  tags: pipeline,
});

export const productsReport = validation({
  name: 'products_report',
  description: 'schema, rules, uniqueness and completeness of the products',
  deps: { products },
  // A rule violation blocks category_model (and exits 1); the other checks only warn.
  checks: [checks.schema(), checks.rules({ blocking: true }), checks.unique(), checks.completeness()],
  tags: pipeline,
});

/** Model inputs: price and the product's features, which the classifier one-hot encodes. */
const featuresOf = (rows: z.infer<typeof Product>[]) => rows.map((p) => ({ price: p.price, n_features: p.features.length, first_feature: p.features[0], category: p.category }));

const trainer = { target: 'category', features: ['price', 'n_features', 'first_feature'], algorithm: 'random-forest' as const, seed: 7 };

export const categoryModel = model({
  name: 'category_model',
  description: 'predicts the category from price and features (random forest)',
  // The report is a dependency so that a failed blocking check stops training.
  deps: { products, report: productsReport },
  config: { ...trainer, split: { test: 0.25, seed: 7 } },
  train: ({ products }) => trainClassifier(splitRows(featuresOf(products), { test: 0.25, seed: 7 }).train, trainer),
  evaluate: (m, { products }) => {
    const { accuracy, macro_f1, n } = evaluateClassifier(m, splitRows(featuresOf(products), { test: 0.25, seed: 7 }).test);
    return { accuracy, macro_f1, test_rows: n };
  },
  tags: pipeline,
});

/**
 * One picture per product from prompts/product_photo_v1.yaml. Offline by default (a label card drawn
 * from the row: no key, byte-identical everywhere); for photos, use
 * `generator: { provider: 'openai', model: 'dall-e-3', maxCost: 25 }` and size '1024x1024'.
 */
export const productImages = images({
  name: 'product_images',
  description: 'a picture of every product (offline label cards by default)',
  deps: { products },
  prompt: 'product_photo_v1',
  perRow: true,
  rowKey: 'name',
  size: '64x64',
  generator: { provider: 'local' },
  tags: pipeline,
});

export const productImagesReport = validation({
  name: 'product_images_report',
  description: 'every picture readable, of its size, not blank, no near-duplicates, every category pictured',
  deps: { images: productImages, products },
  target: 'images',
  checks: [checks.images({ blocking: true, categories: { rows: 'products', column: 'category', min: 1 } })],
  tags: pipeline,
});

const imageTrainer = { target: 'category', features: ['price', ...HUE_FEATURES], algorithm: 'random-forest' as const, seed: 7 };

export const categoryImageModel = model({
  name: 'category_image_model',
  description: "predicts the category from price and the picture's colours (random forest)",
  deps: { products, images: productImages, report: productImagesReport },
  config: { ...imageTrainer, split: { test: 0.25, seed: 7 }, imageFeature: 'hue-histogram-12' },
  train: ({ products, images }, ctx) => trainClassifier(splitRows(imageFeatureRows(products, images, ctx.readObject), { test: 0.25, seed: 7 }).train, imageTrainer),
  evaluate: (m, { products, images }, ctx) => {
    const { accuracy, macro_f1, n } = evaluateClassifier(m, splitRows(imageFeatureRows(products, images, ctx.readObject), { test: 0.25, seed: 7 }).test);
    return { accuracy, macro_f1, test_rows: n };
  },
  tags: pipeline,
});

/** Every Monday at 03:00 UTC: regenerate the products with a new seed (recorded, so reproducible) and everything downstream. */
export const weeklyRefresh = schedule({ name: 'weekly_refresh', cron: '0 3 * * 1', select: 'products+', seed: 'per-run', catchUp: 'latest' });
