/**
 * Text extraction with Apache Tika: in child JVMs that are killed on timeout and replaced after a crash
 * ({@code ForkedExtractor}, the default) or in this JVM ({@code TikaExtractor}). Archive entries, attachments and
 * embedded files come back as documents of their own, each with its own digest and a unique path; statuses follow
 * {@link dev.nightshift.pipeline.core.ExtractionStatus} the same way wherever a condition occurs. Language detection
 * ({@code LanguageGuesser}) runs in the parent.
 */
package dev.nightshift.connectors.extract;
