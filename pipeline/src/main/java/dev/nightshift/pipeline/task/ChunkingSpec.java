package dev.nightshift.pipeline.task;

import dev.nightshift.pipeline.chunk.TokenCounter;

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
}
