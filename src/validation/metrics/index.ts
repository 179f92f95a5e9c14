export { ColumnKind, classifyColumns, inferColumnKinds, isMissing, type ColumnKindOptions, type SkippedColumn } from './column-kinds.js';
export { sdmetricsQuality, type SdmetricsPair, type SdmetricsQuality } from './sdmetrics-quality.js';
export { CategoryDictionary, numericColumn, sortedPresent, categoricalColumn, countCodes, toShares } from './column-data.js';
export { compareColumns, type ComparedColumn } from './column-table.js';
export { ksStatistic, ksTest, ksComplement, type KsTestResult } from './ks-complement.js';
export { KsMethod, ksPValue, ksExactPValue, ksAsymptoticPValue, kolmogorovSf } from './kolmogorov.js';
export { tvComplement } from './tv-complement.js';
export { correlation, correlationSimilarity, CorrelationMethod, type CorrelationSimilarity } from './correlation-similarity.js';
export { contingencySimilarity, type CodedColumn } from './contingency-similarity.js';
export { association, cramersV, jointTable } from './cramers-v.js';
export { quantileEdges, equalWidthEdges, binOf, binCodes, binCountsSorted } from './binning.js';
export { columnHistogram, isDateColumn, HISTOGRAM_BINS, type ColumnHistogram } from './histogram.js';
export { qualityReport, QualityOptionsSchema, type QualityOptions, type QualityReport, type ColumnShapeScore, type PairTrendScore } from './quality-report.js';
export {
  psiReport,
  psiOfColumns,
  psiFromShares,
  psiLevel,
  PsiLevel,
  PSI_FLOOR,
  PsiOptionsSchema,
  summarize,
  type PsiOptions,
  type PsiReport,
  type PsiColumn,
  type PsiBin,
  type ColumnSummary,
} from './psi.js';
export { driftSuggestion, driftSuggestions, type DriftSuggestionOptions } from './drift-suggestion.js';
export { schemaPassRate, type SchemaPassRate, type SchemaFailure } from './schema-pass-rate.js';
export { rulesCheck, type RuleLike, type RulesCheck, type RuleViolations } from './rules-check.js';
export { completeness, type Completeness, type ColumnCompleteness } from './completeness.js';
export { duplicateRows, keyUniqueness, type DuplicateRows, type KeyUniqueness } from './uniqueness.js';
export { utilityReport, UtilityOptionsSchema, type UtilityOptions, type UtilityReport, type UtilityScores } from './utility.js';
export { meanOfFinite } from './mean.js';
