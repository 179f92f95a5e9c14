/** Feedback: annotation and production error records, their patterns, and how data covers them. */
export { FeedbackRecordSchema, FEEDBACK_KEYS, type FeedbackRecord } from './feedback-record.js';
export { readFeedbackFile, parseFeedbackRecord, feedbackOfRows, FeedbackError, MAX_FEEDBACK_BYTES, type LocatedFeedback } from './read-feedback.js';
export { feedbackPatterns, patternCoverage, matchesContext, type FeedbackPattern, type PatternCoverage } from './feedback-patterns.js';
export { feedback, isFeedbackSource, FEEDBACK_TAG, type FeedbackOptions } from './feedback-source.js';
