/** The self-improving loop: the next prompt version from live data, reports and feedback (`synth tune`). */
export { planTune, type TunePlan, type TuneOptions } from './plan-tune.js';
export { planPointing } from './point-definitions.js';
export { mineRules, feedbackRule, ruleField, type MinedRule, type MineOptions } from './mine-rules.js';
export { TuneChangeKind, type TuneChange } from './tune-change.js';
