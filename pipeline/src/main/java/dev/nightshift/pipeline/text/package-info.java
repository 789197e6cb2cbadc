/**
 * Judging text before it is processed: whether it is language at all ({@link dev.nightshift.pipeline.text.NotLanguage})
 * and what part of it a language detector should see ({@link dev.nightshift.pipeline.text.LanguageSample}).
 */
package dev.nightshift.pipeline.text;
