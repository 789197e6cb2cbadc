package dev.nightshift.pipeline.summarize;

import dev.nightshift.pipeline.chunk.TokenCounter;

import java.util.Objects;

/** How a summarizer wants its input cut: by which tokenizer, into chunks of at most how many tokens. */
public record ChunkingSpec(TokenCounter counter, int maxTokens) {
    public ChunkingSpec {
        Objects.requireNonNull(counter, "counter");
        if (maxTokens < 8) throw new IllegalArgumentException("maxTokens < 8");
    }
}
