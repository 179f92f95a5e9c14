import { stringify } from 'yaml';
import { renderZodObject, tsString, type InferredColumn } from './infer-schema.js';

/** The files of one scaffold, and what `synth init` tells about them. */
export interface Template {
  assets: string;
  promptId: string;
  prompt: string;
  assetNames: string[];
  /** The asset whose report the user looks at first. */
  report: string;
}

/**
 * tsconfig.json of a new project: the assets file type-checks (`npm run typecheck`) with the
 * strictest common flags; synth itself loads it with no build step.
 */
export const TSCONFIG =
  JSON.stringify(
    {
      compilerOptions: {
        target: 'ES2022',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        strict: true,
        noUncheckedIndexedAccess: true,
        exactOptionalPropertyTypes: true,
        noEmit: true,
        types: ['node'],
      },
      include: ['src'],
    },
    null,
    2,
  ) + '\n';

/** Names the generated file imports or that JavaScript reserves: an asset's variable must not take one. */
const TAKEN = new Set(
  (
    'asset checks dataset source validation model schedule z ' +
    'break case catch class const continue debugger default delete do else enum export extends false finally for function if import in ' +
    'instanceof new null return super switch this throw true try typeof var void while with yield let static implements interface package private protected public await arguments eval'
  ).split(' '),
);
const camel = (base: string): string => {
  const id = base.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
  return TAKEN.has(id) ? `${id}Data` : id;
};
const pascal = (base: string): string => camel(base).replace(/^[a-z]/, (c) => c.toUpperCase());
const HEADER = `// synthgraph assets: every asset and schedule exported from this file is part of the project.
// \`npx synth status\` lists them, \`npx synth materialize\` builds what is stale or missing.
// Guide and DSL reference: docs/ in the synthgraph repository (docs/guide.md, docs/dsl-reference.md).`;

/** A first project with no data of its own: a small dataset and its validation. */
export function defaultTemplate(base: string): Template {
  const id = camel(base);
  const promptId = `${base}_v1`;
  const report = `${base}_report`;
  const assets = `${HEADER}
import { checks, dataset, validation, z } from 'synthgraph';

/** One row of the dataset: the zod schema is the contract every generated row is checked against. */
export const ${pascal(base)}Row = z.object({
  name: z.string().min(1).describe('full name'),
  email: z.string().min(3).describe('email address'),
  age: z.number().int().min(18).max(90),
  plan: z.enum(['free', 'pro', 'team']),
  monthly_spend: z.number().min(0).describe('spend per month in USD'),
});

/** A synthetic dataset: schema + prompt file (prompts/${promptId}.yaml) + row count + seed + generator. */
export const ${id} = dataset({
  name: '${base}',
  schema: ${pascal(base)}Row,
  prompt: '${promptId}',
  rows: 200,
  seed: 42,
  generator: { provider: 'local' }, // or { provider: 'openai', model: 'gpt-4o-mini-2024-07-18' } with OPENAI_API_KEY set
});

/** Its validation report: a failed blocking check stops everything downstream (exit 1). */
export const ${id}Report = validation({
  name: '${report}',
  deps: { ${id} },
  checks: [checks.schema({ blocking: true }), checks.rules({ blocking: true }), checks.unique()],
});
`;
  const prompt = `# The prompt file of dataset ${base}: the LLM's instructions, the rules every row must satisfy,
# and hints for the local generator (columns). Editing it makes ${base} stale.
${stringify({
  prompt_id: promptId,
  domain: 'customers',
  template: 'Generate {{rows}} customer records of a software company with fields: name, email, age, plan (free, pro or team) and monthly_spend in USD.\n',
  rules: ['if plan == "free", monthly_spend < 1', 'if plan == "team", monthly_spend >= 50'],
  columns: { monthly_spend: { min: 0, max: 400, decimals: 2 }, plan: { categories: { free: 5, pro: 3, team: 2 } } },
})}`;
  return { assets, promptId, prompt, assetNames: [base, report], report };
}

/** The column to condition the fit on: the first enum with 2 to 10 values, if any. */
function classColumn(columns: readonly InferredColumn[]): string | undefined {
  return columns.find((c) => c.type.kind === 'enum' && c.type.values.length >= 2 && c.type.values.length <= 10 && !c.nullable && !c.optional)?.name;
}

/** A project fitted to the user's own table: the table as a source, a fitted synthetic copy and its fidelity report. */
export function fromDataTemplate(input: { base: string; dataFile: string; rows: number; columns: readonly InferredColumn[] }): Template {
  const { base, columns } = input;
  // The file name goes into comments too: no comment terminator.
  const dataFile = input.dataFile.replace(/\*\//g, '*_/');
  const id = camel(base);
  const promptId = `${base}_v1`;
  const synthName = `${base}_synth`;
  const fidelity = `${base}_fidelity`;
  const rows = Math.min(Math.max(input.rows, 100), 5000);
  const cls = classColumn(columns);
  const generated = columns.filter((c) => c.type.kind !== 'unsupported').map((c) => c.name);
  // Identifiers and free text (every value distinct) have no distribution to compare.
  const distinct = columns.filter((c) => c.unique).map((c) => c.name);
  const compared =
    distinct.length === 0
      ? `\n    checks.fidelity({ threshold: 0.8, seed: 0 }),`
      : `\n    // Left out: ${distinct.join(', ').replace(/\n/g, ' ')} (every value differs: ids or free text, no distribution to compare).` +
        `\n    checks.fidelity({ threshold: 0.8, seed: 0, columns: [${generated
          .filter((n) => !distinct.includes(n))
          .map(tsString)
          .join(', ')}] }),`;
  const assets = `${HEADER}
import { checks, dataset, source, validation, z } from 'synthgraph';

/** The real data: ${dataFile} (${input.rows} rows), re-hashed on every status/materialize, so editing it makes everything below stale. */
export const ${id} = source({
  name: '${base}',
  file: ${tsString(input.dataFile)},
});

/**
 * One row, as \`synth init\` inferred it from ${dataFile}: numbers (whole or not), booleans, enums for
 * strings with few distinct values, nullable where cells were empty. Tighten it (.min(), .max(),
 * .describe()): every synthetic row is checked against it.
 */
export const ${pascal(base)}Row = ${renderZodObject(columns)};

/** A synthetic copy fitted to the real rows (column distributions, correlations${cls ? `, conditioned on ${cls}` : ''}). */
export const ${id}Synth = dataset({
  name: '${synthName}',
  schema: ${pascal(base)}Row,
  prompt: '${promptId}',
  rows: ${rows},
  seed: 42,
  generator: { provider: 'local' },
  reference: ${id},
});

/** How close the copy is to the real data: \`npx synth show ${fidelity}\` (or \`synth report ${fidelity} --format html\`). */
export const ${id}Fidelity = validation({
  name: '${fidelity}',
  deps: { synthetic: ${id}Synth, real: ${id} },
  target: 'synthetic',
  reference: 'real',
  checks: [
    checks.schema({ blocking: true }),${compared}
    // No real row copied, no real identifier reused, and no closer to the real rows than a real hold-out is.
    checks.privacy(),
  ],
});
`;
  const prompt = `# The prompt file of ${synthName}: the template an LLM generator would get, rules every row must
# satisfy (e.g. - if plan == "free", price == 0), and hints for the local generator (columns).
${stringify({
  prompt_id: promptId,
  domain: base,
  template: `Generate {{rows}} records like those of ${input.dataFile}, with fields: ${generated.join(', ')}.\n`,
  rules: [],
  ...(cls ? { columns: { [cls]: { class: true } } } : {}),
})}`;
  return { assets, promptId, prompt, assetNames: [base, synthName, fidelity], report: fidelity };
}
