/** Validation: the built-in checks, their report rendering, and the metrics they are built on. */
export { checks, type CheckOptions } from './checks.js';
export { type SchemaCheckOptions, type SchemaCheckDetails } from './schema-check.js';
export { type RulesCheckOptions, type RulesCheckDetails, type RuleReport } from './rules-check.js';
export { type UniqueCheckOptions, type UniqueCheckDetails } from './unique-check.js';
export { type CompletenessCheckOptions, type CompletenessCheckDetails } from './completeness-check.js';
export { type FidelityCheckOptions, type FidelityCheckDetails } from './fidelity-check.js';
export { LiveSide, type DriftCheckOptions, type DriftCheckDetails } from './drift-check.js';
export { UtilityScore, type UtilityCheckOptions, type UtilityCheckDetails } from './utility-check.js';
export { type FeedbackCheckOptions, type FeedbackCheckDetails } from './feedback-check.js';
export { type NoiseCheckOptions, type NoiseCheckDetails } from './noise-check.js';
export { type PrivacyCheckOptions, type PrivacyCheckDetails } from './privacy-check.js';
export { privacyReport, type PrivacyOptions, type PrivacyReport } from './metrics/privacy.js';
export { ValidationReportSchema, parseValidationReport } from './report-schema.js';
export { validation, type ValidationOptions, type ValidationSpec, type ValidationReport, type CheckResult } from './validation-asset.js';
export { reportDocument, checkSections, checkTable, type Block, type Cell, type ChartRef, type Tone, type ReportMeta } from './report-document.js';
export { ReportFormat, renderMarkdown, renderHtml, renderValidationReport, renderCheckSections, type RenderedChart } from './report-render.js';
export { blendDocument, renderBlendReport } from './blend-document.js';
