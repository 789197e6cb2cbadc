package dev.nightshift.pipeline.llm;

/**
 * What one row of a generation produced.
 *
 * @param tokenIds        the generated ids, without the prompt and without trailing padding
 * @param text            the decoded text, special tokens removed
 * @param finishReason    why it stopped
 * @param promptTokens    prompt length in tokens
 * @param prefillNanos    time spent on the prompt (shared by the batch)
 * @param decodeNanos     time spent generating (shared by the batch)
 */
public record GenerationResult(int[] tokenIds, String text, FinishReason finishReason, int promptTokens,
                               long prefillNanos, long decodeNanos) {
    public int generatedTokens() {
        return tokenIds.length;
    }
}
