/**
 * Writers of what is stored: export records as JSON Lines, CSV ({@link dev.nightshift.connectors.export.Csv}), Markdown
 * and Parquet ({@link dev.nightshift.connectors.export.ParquetTable}, without Hadoop),
 * and translated files mirroring the input tree ({@code TranslatedFiles}), never outside the output folder.
 */
package dev.nightshift.connectors.export;
