package dev.nightshift.pipeline.chunk;

/**
 * Counts tokens the way a particular model would see them. Chunks are sized with it, so a chunk that
 * "fits" really fits the model's context.
 */
public interface TokenCounter {
    /** Number of tokens {@code text} encodes to, without special tokens. */
    int count(String text);

    /** A name recorded with each chunk, e.g. {@code heuristic-v1} or the model's tokenizer digest. */
    String name();
}
