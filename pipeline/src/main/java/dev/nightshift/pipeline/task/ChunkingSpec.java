package dev.nightshift.pipeline.task;

import dev.nightshift.pipeline.chunk.Chunker;
import dev.nightshift.pipeline.chunk.TokenCounter;
import dev.nightshift.pipeline.core.Chunk;
import dev.nightshift.pipeline.core.Extraction;

import java.util.List;

import java.util.Objects;

/**
 * How a task wants its input cut: by which tokenizer, into chunks of at most how many tokens,
 * repeating how many tokens of the previous chunk.
 */
public record ChunkingSpec(TokenCounter counter, int maxTokens, int overlapTokens) {
    public ChunkingSpec {
        Objects.requireNonNull(counter, "counter");
        if (maxTokens < 8) throw new IllegalArgumentException("maxTokens < 8");
    }

    public ChunkingSpec(TokenCounter counter, int maxTokens) {
        this(counter, maxTokens, 0);
    }

    /** An extraction's text cut as this asks, at sentence boundaries of its language. */
    public List<Chunk> split(Extraction extraction) {
        return new Chunker(counter, maxTokens, extraction.locale(), overlapTokens).split(extraction.text());
    }
}
