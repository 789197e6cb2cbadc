package dev.nightshift.pipeline.store;

import dev.nightshift.pipeline.core.Grounding;

import java.util.List;

/**
 * One output with its full provenance, as exported: the document it belongs to, the extraction and
 * the chunks it was made from (directly or through the outputs below it in its tree), how it was made,
 * and its text, and how well its source supports it (null when not checked).
 */
public record ExportRecord(
        DocumentInfo document,
        long extractionId,
        String extractionParser,
        String tikaVersion,
        List<ChunkSpan> chunks,
        Provenance provenance,
        String text,
        Grounding grounding) {
    public ExportRecord {
        chunks = List.copyOf(chunks);
    }
}
