package dev.nightshift.pipeline.llm;

/** Receives tokens as they are generated (streaming). Called on the generating thread. */
@FunctionalInterface
public interface TokenListener {
    TokenListener NONE = (row, tokenId) -> { };

    /** @param row the request's index in its batch */
    void onToken(int row, int tokenId);
}
