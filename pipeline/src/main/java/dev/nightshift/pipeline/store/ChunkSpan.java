package dev.nightshift.pipeline.store;

/**
 * A chunk's place in its extraction's text: {@code [charStart, charEnd)}, and its length in tokens of
 * {@code tokenizer}.
 */
public record ChunkSpan(long extractionId, int seq, int charStart, int charEnd, int tokenCount, String tokenizer) {
}
