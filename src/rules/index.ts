/** Prompt files (`prompts/<prompt_id>.yaml`) and the rule expression language. */
export { listPromptIds, loadPromptFile, parsePromptFile, promptFilePath, PROMPT_FILE_EXTENSION, renderPromptTemplate, type PromptFile } from './prompt-file.js';
export { PromptFileSchema, PROMPT_FILE_KEYS, HINT_DISTRIBUTIONS, type PromptFileData } from './prompt-schema.js';
export { compileRule, describeRules, violatedRules, RULE_SYNTAX_HELP, type CompiledRule, type RuleLocation } from './rule.js';
export { CONSTRAINT_OPS, type Constraint, type ConstraintOp } from './rule-compiler.js';
export { renderTemplate, templatePlaceholders, type TemplateLocation } from './template.js';
export { promptFieldProblem, topLevelField } from './prompt-fields.js';
export { promptFamily } from './prompt-family.js';
