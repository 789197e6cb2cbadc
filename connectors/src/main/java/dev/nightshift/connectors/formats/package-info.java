/**
 * Translations written back in the file's own format, through the Okapi Framework's filters:
 * {@link dev.nightshift.connectors.formats.SameFormat} (which formats, which filter),
 * {@link dev.nightshift.connectors.formats.FileTranslator} (a file's text units out to a
 * {@link dev.nightshift.connectors.formats.SegmentTranslator} and back in, inline codes as tags), and the check of
 * every segment ({@link dev.nightshift.connectors.formats.SegmentIssue}). Nothing here knows a model: the command
 * line gives the translator.
 */
package dev.nightshift.connectors.formats;
