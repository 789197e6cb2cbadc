package dev.nightshift.pipeline.store;

import java.util.List;

/**
 * One output with its full provenance, as exported: the document it belongs to, the extraction and
 * the chunks it was made from (directly or through the outputs below it in its tree), how it was made,
 * and its text.
 */
public record ExportRecord(
        DocumentInfo document,
        long extractionId,
        String extractionParser,
        String tikaVersion,
        List<ChunkSpan> chunks,
        Provenance provenance,
        String text) {
    public ExportRecord {
        chunks = List.copyOf(chunks);
    }
}
