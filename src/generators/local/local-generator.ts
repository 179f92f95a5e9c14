import { Faker, en } from '@faker-js/faker';
import type { Row } from '../../engine/index.js';
import type { GenerateRequest, GenerateResult, Generator } from '../generator.js';
import type { SampleContext } from './column-sampler.js';
import { DEFAULT_MAX_ATTEMPTS, readGeneratorOptions } from './generator-options.js';
import { LOCAL_GENERATOR_VERSION } from './generator-version.js';
import { Prng } from './prng.js';
import { RowMaker } from './row-maker.js';
import { planRows } from './row-plan.js';

/** Rows between progress reports (and between yields to the event loop, so aborts are seen). */
const PROGRESS_EVERY = 1000;

/**
 * The embedded generator: no key, no network, deterministic. Rows are drawn column by column
 * from samplers compiled from the zod schema, the prompt's column hints and the field names,
 * or from a model fitted to a reference dataset; rules are enforced by targeted redraws.
 * The same schema, prompt, row count, seed and reference give byte-identical rows.
 */
export const localGenerator: Generator = {
  provider: 'local',
  version: LOCAL_GENERATOR_VERSION,
  generate: generateLocal,
  async estimate() {
    return { requests: 0, tokens: 0, cost_usd: 0 };
  },
};

async function generateLocal(request: GenerateRequest): Promise<GenerateResult> {
  const options = readGeneratorOptions(request.config, request.asset);
  const plan = planRows(request, options);
  if (request.reference?.length && !plan.fitted) {
    request.warn(
      `Dataset "${request.asset}": no column of the reference could be fitted (no categorical or numeric column the schema shares with it); generating from hints and field names instead.`,
    );
  }
  const rng = new Prng([request.seed]);
  // faker draws from the same seeded stream, so one seed decides everything.
  const faker = new Faker({ locale: [en], randomizer: rng });
  const maker = new RowMaker(plan, request.asset, options.max_attempts ?? DEFAULT_MAX_ATTEMPTS);
  const ctx: SampleContext = { rng, faker, index: 0 };
  const rows: Row[] = [];
  request.progress(0, request.rows);
  for (let i = 0; i < request.rows; i++) {
    if (i % PROGRESS_EVERY === 0 && i > 0) {
      request.progress(i, request.rows);
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    if (i % 256 === 0) request.signal.throwIfAborted();
    ctx.index = i;
    rows.push(maker.make(ctx));
  }
  request.signal.throwIfAborted();
  request.progress(request.rows, request.rows);
  const { stats } = maker;
  return {
    rows,
    metadata: {
      generator: 'local',
      version: LOCAL_GENERATOR_VERSION,
      seed: request.seed,
      requested: request.rows,
      valid: rows.length,
      resampled: stats.resampled,
      rule_fixes: stats.ruleFixes,
      ...(stats.schemaFixes ? { schema_fixes: stats.schemaFixes } : {}),
      ...(stats.uniqueFixes ? { unique_fixes: stats.uniqueFixes } : {}),
      fitted: plan.fitted !== undefined,
      ...(plan.fitted ? { fit: plan.fitted.summary } : {}),
    },
  };
}
