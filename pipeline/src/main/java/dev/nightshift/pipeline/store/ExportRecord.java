package dev.nightshift.pipeline.store;

import java.time.Instant;
import java.util.List;

/**
 * One output with its full provenance, as exported. {@code chunks} are the chunks the output was made
 * from, directly or through the outputs below it in its tree.
 */
public record ExportRecord(
        long outputId,
        long runId,
        String sourceLocator,
        String documentSha256,
        long documentSize,
        String mediaType,
        String language,
        long extractionId,
        String extractionParser,
        String tikaVersion,
        List<ChunkSpan> chunks,
        String task,
        String method,
        String model,
        String modelDigest,
        String promptName,
        String promptVersion,
        String promptHash,
        String parameters,
        int level,
        boolean isFinal,
        String finishReason,
        int promptTokens,
        int generatedTokens,
        long durationMs,
        Instant createdAt,
        String text) {

    /** A chunk's place in the extraction text: {@code [charStart, charEnd)}. */
    public record ChunkSpan(int seq, int charStart, int charEnd, int tokenCount) {
    }
}
