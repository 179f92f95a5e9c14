/**
 * Generates docs/dsl-reference.md from the TSDoc of the option types themselves (read with the
 * TypeScript compiler API), so the reference lists exactly the options the code accepts.
 * `npm run docs:dsl` rewrites the file; test/docs/dsl-reference.test.ts fails when it is stale.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const DSL_REFERENCE_FILE = path.join(ROOT, 'docs', 'dsl-reference.md');

/** A type to document: where it is declared, and which of its properties belong to it (not to a base). */
interface Section {
  title: string;
  intro: string;
  file: string;
  type: string;
  /** Leave out properties documented in another section (the common options). */
  omit?: readonly string[];
}

const COMMON = ['name', 'deps', 'codeVersion', 'tags', 'group', 'description', 'retries'];
const CHECK_COMMON = ['blocking', 'threshold', 'name'];

const SECTIONS: Section[] = [
  { title: 'Options every asset kind takes', intro: 'Every `dataset`, `source`, `validation`, `model` and `asset` takes these.', file: 'src/index.ts', type: 'CommonOptions' },
  {
    title: '`dataset({...})`: a synthetic dataset',
    intro: 'Rows generated from a zod row schema and a prompt file, by the local generator or an LLM; with `reference`, fitted to real data.',
    file: 'src/index.ts',
    type: 'DatasetOptions',
    omit: COMMON,
  },
  {
    title: '`source({...})`: real data',
    intro: 'Rows read from files (hashed on every `status` / `materialize`) or from a `load` function. Give `file` or `load`.',
    file: 'src/index.ts',
    type: 'SourceOptions',
    omit: COMMON,
  },
  {
    title: '`validation({...})`: a validation report',
    intro: 'Runs checks over its target dataset and stores the report; a failed blocking check blocks everything downstream.',
    file: 'src/index.ts',
    type: 'ValidationOptions',
    omit: COMMON,
  },
  {
    title: '`model({...})`: a trained model',
    intro: "`train` gets the inputs typed from `deps`; the result is stored with `toJSON()`, `evaluate`'s metrics are recorded.",
    file: 'src/index.ts',
    type: 'ModelOptions',
    omit: COMMON,
  },
  {
    title: '`asset({...})`: any computed value',
    intro: 'A function of its inputs. Arrays of plain objects are stored as rows (JSONL + CSV), anything else as JSON.',
    file: 'src/index.ts',
    type: 'FunctionAssetOptions',
    omit: COMMON,
  },
  {
    title: '`feedback({...})`: annotation and production error records',
    intro:
      'A source of JSON Lines error records (`id`, `fields`, `column`, `error`, `value`, `correct`, `origin`, `note`; unknown keys refused at `file:line`), read by `checks.feedback()` and `synth tune`.',
    file: 'src/index.ts',
    type: 'FeedbackOptions',
    omit: COMMON,
  },
  {
    title: '`blend({...})`: real + synthetic mixtures',
    intro: 'The same classifier trained on real + synthetic rows at each ratio, scored on a real hold-out over several seeds; each ratio cached by what it reads.',
    file: 'src/index.ts',
    type: 'BlendOptions',
    omit: ['tags', 'description'],
  },
  {
    title: '`modelWithRealEvaluation({...})`: a model also scored on real data',
    intro: "A `model()` plus a real evaluation set: its metrics are recorded as `real.<metric>` beside the synthetic validation's, with `gap.<metric>` = synthetic − real.",
    file: 'src/index.ts',
    type: 'RealEvaluationOptions',
    omit: [...COMMON, 'train', 'evaluate', 'config', 'columns'],
  },
  {
    title: '`images({...})`: images per row or a fixed count',
    intro:
      'Pictures drawn from a prompt file, offline or through the OpenAI Images API; the value is a manifest (one row per image), the images are objects of the store (see docs/images.md).',
    file: 'src/index.ts',
    type: 'ImagesOptions',
    omit: COMMON,
  },
  { title: '`schedule({...})`: when `synth daemon` materializes what', intro: 'Exported from the definitions file like the assets.', file: 'src/index.ts', type: 'ScheduleOptions' },
  {
    title: '`generator: {...}` of a dataset',
    intro: "Every field is part of the dataset's cache key. Other keys are provider options (below).",
    file: 'src/index.ts',
    type: 'GeneratorConfig',
  },
  {
    title: "`generator: { provider: 'local', ... }`",
    intro: 'The embedded generator (default): no key, no network, byte-identical output for the same seed.',
    file: 'src/generators/local/generator-options.ts',
    type: 'LocalGeneratorOptions',
  },
  {
    title: "`generator: { provider: 'openai', ... }`",
    intro: 'Any OpenAI-compatible server (OpenAI, Ollama, vLLM, llama.cpp, LiteLLM). The key is read from the environment only.',
    file: 'src/generators/openai/config.ts',
    type: 'OpenAIGeneratorConfigInput',
  },
  {
    title: '`generator: {...}` of an images asset',
    intro: "`provider: 'local'` (default, offline) or `'openai'`. The drawing fields are part of each image's request key; concurrency, limits, prices and retries are not.",
    file: 'src/images/image-generator-config.ts',
    type: 'ImageGeneratorConfigInput',
  },
  { title: 'Options every check takes', intro: 'Every `checks.*()` takes these.', file: 'src/index.ts', type: 'CheckOptions' },
  { title: '`checks.schema({...})`', intro: "Share of rows matching the dataset's zod schema.", file: 'src/index.ts', type: 'SchemaCheckOptions', omit: CHECK_COMMON },
  {
    title: '`checks.rules({...})`',
    intro: 'Share of rows satisfying every rule of the prompt file, plus `rules`.',
    file: 'src/index.ts',
    type: 'RulesCheckOptions',
    omit: CHECK_COMMON,
  },
  { title: '`checks.unique({...})`', intro: 'Share of rows that do not repeat an earlier row (or key).', file: 'src/index.ts', type: 'UniqueCheckOptions', omit: CHECK_COMMON },
  { title: '`checks.completeness({...})`', intro: 'Share of columns whose null rate is within the limit.', file: 'src/index.ts', type: 'CompletenessCheckOptions', omit: CHECK_COMMON },
  {
    title: '`checks.fidelity({...})`',
    intro: "Quality of synthetic vs real data: the shared-edge score and `sdmetrics_quality`, SDMetrics 0.32's QualityReport reproduced exactly (needs the validation's `reference`).",
    file: 'src/index.ts',
    type: 'FidelityCheckOptions',
    omit: CHECK_COMMON,
  },
  {
    title: '`checks.drift({...})`',
    intro: 'PSI (and optionally KS) per column between live and reference data (needs `reference`).',
    file: 'src/index.ts',
    type: 'DriftCheckOptions',
    omit: CHECK_COMMON,
  },
  {
    title: '`checks.utility({...})`',
    intro: 'Train on synthetic, test on real (TSTR) vs train on real (TRTR) (needs `reference`).',
    file: 'src/index.ts',
    type: 'UtilityCheckOptions',
    omit: CHECK_COMMON,
  },
  {
    title: '`checks.privacy({...})`',
    intro: 'Exact copies of real rows, real identifier/name/text values reused, and distance to the closest real record against a real hold-out (needs `reference`).',
    file: 'src/index.ts',
    type: 'PrivacyCheckOptions',
    omit: CHECK_COMMON,
  },
  {
    title: '`checks.noise({...})`',
    intro: 'The imperfections the prompt file declares (`noise:`) measured in the rows: missing values, duplicated rows, inconsistent formats, outliers.',
    file: 'src/index.ts',
    type: 'NoiseCheckOptions',
    omit: CHECK_COMMON,
  },
  {
    title: '`checks.feedback({...})`',
    intro: 'How many known failure patterns (feedback records grouped by error, column and context) the data covers.',
    file: 'src/index.ts',
    type: 'FeedbackCheckOptions',
    omit: CHECK_COMMON,
  },
  {
    title: '`checks.images({...})`',
    intro:
      'Share of images of an images asset without a problem (missing, undecodable, wrong size or format, blank, near-duplicate); the refusal rate and per-category counts fail it outright.',
    file: 'src/index.ts',
    type: 'ImagesCheckOptions',
    omit: CHECK_COMMON,
  },
  {
    title: 'Prompt files: `prompts/<prompt_id>.yaml`',
    intro: 'Checked with zod when loaded; unknown keys are refused (they are nearly always typos).',
    file: 'src/rules/prompt-schema.ts',
    type: 'PromptFileData',
  },
  {
    title: 'Noise: `noise: {...}` in a prompt file',
    intro: "Real-world imperfections applied after generation with the dataset's seed, to every provider's rows; each rate applied exactly (`round(rate × rows)`).",
    file: 'src/noise/noise-settings.ts',
    type: 'NoiseSettings',
  },
  {
    title: 'Column hints: `columns: { <field>: {...} }` in a prompt file',
    intro: 'How the local generator draws a column. With a `reference`, columns are fitted to the real data and only `min`/`max` still bound them.',
    file: 'src/generators/local/column-hints.ts',
    type: 'ColumnHint',
  },
];

/** The declared type of an exported name of a file. */
function declaredType(checker: ts.TypeChecker, source: ts.SourceFile, name: string): ts.Type {
  const moduleSymbol = checker.getSymbolAtLocation(source);
  const exported = moduleSymbol && checker.getExportsOfModule(moduleSymbol).find((s) => s.name === name);
  if (!exported) throw new Error(`${source.fileName} exports no ${name}`);
  return checker.getDeclaredTypeOfSymbol(exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported);
}

const escapeCell = (text: string): string =>
  text
    .replace(/\|/g, '\\|')
    .replace(/\s*\n\s*/g, ' ')
    .trim();

/** The option rows of a type: name, type, required, TSDoc (with its @example tags). */
function optionRows(checker: ts.TypeChecker, type: ts.Type, omit: readonly string[]): string[][] {
  return checker
    .getPropertiesOfType(type)
    .filter((p) => !omit.includes(p.name))
    .map((p) => {
      const decl = p.valueDeclaration ?? p.declarations?.[0];
      const t = decl ? checker.getTypeOfSymbolAtLocation(p, decl) : undefined;
      const nonNull = t ? checker.getNonNullableType(t) : undefined;
      const typeText = nonNull ? checker.typeToString(nonNull, undefined, ts.TypeFormatFlags.NoTruncation | ts.TypeFormatFlags.UseSingleQuotesForStringLiteralType) : '';
      const optional = (p.flags & ts.SymbolFlags.Optional) !== 0 || (t !== undefined && t !== nonNull);
      const doc = ts.displayPartsToString(p.getDocumentationComment(checker));
      const examples = p
        .getJsDocTags(checker)
        .filter((tag) => tag.name === 'example')
        .map((tag) => `Example: \`${ts.displayPartsToString(tag.text).trim()}\``);
      return [`\`${p.name}\``, `\`${escapeCell(typeText)}\``, optional ? '' : 'required', escapeCell([doc, ...examples].filter(Boolean).join(' '))];
    });
}

/** Renders the whole reference. */
export function renderDslReference(): string {
  const files = [...new Set(SECTIONS.map((s) => path.join(ROOT, s.file)))];
  const program = ts.createProgram(files, {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    strict: true,
    skipLibCheck: true,
    noEmit: true,
  });
  const checker = program.getTypeChecker();
  const out = [
    '# DSL reference',
    '',
    '<!-- Generated by `npm run docs:dsl` (scripts/dsl-reference.ts) from the TSDoc of the option types; test/docs/dsl-reference.test.ts fails when this file is stale. Edit the TSDoc, not this file. -->',
    '',
    'Every option of every kind of definition, as the types in `synthgraph` declare it: the asset kinds,',
    'schedules, generators, checks, prompt files and column hints. For how the pieces fit together, read',
    '[the guide](guide.md); for the command line and its JSON, [the CLI contract](cli-contract.md).',
    '',
    ...SECTIONS.map((s) => `- [${s.title.replace(/`/g, '')}](#${s.type.toLowerCase()})`),
  ];
  for (const section of SECTIONS) {
    const source = program.getSourceFile(path.join(ROOT, section.file));
    if (!source) throw new Error(`cannot read ${section.file}`);
    const rows = optionRows(checker, declaredType(checker, source, section.type), section.omit ?? []);
    out.push(
      '',
      `<a id="${section.type.toLowerCase()}"></a>`,
      `## ${section.title}`,
      '',
      `${section.intro} Type: \`${section.type}\`${section.omit ? ' (plus the common options above)' : ''}.`,
      '',
      `<!-- options: ${section.type} -->`,
      '| option | type | | meaning |',
      '| --- | --- | --- | --- |',
      ...rows.map((r) => `| ${r.join(' | ')} |`),
    );
  }
  return out.join('\n') + '\n';
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  writeFileSync(DSL_REFERENCE_FILE, renderDslReference());
  console.log(`wrote ${path.relative(process.cwd(), DSL_REFERENCE_FILE)}`);
}
