package dev.nightshift.pipeline.llm;

import dev.nightshift.pipeline.core.InputRef;
import dev.nightshift.pipeline.core.OutputDraft;
import dev.nightshift.pipeline.core.OutputOrigin;

import java.util.List;

/**
 * What one row of a generation produced.
 *
 * @param tokenIds        the generated ids, without the prompt and without trailing padding
 * @param text            the decoded text, special tokens removed
 * @param finishReason    why it stopped
 * @param promptTokens    prompt length in tokens
 * @param prefillNanos    time the whole batch spent on its prompts (the same for every row of a batch)
 * @param decodeNanos     time the whole batch spent generating (the same for every row of a batch)
 * @param shareNanos      this row's own share of the batch's time: of the prefill in proportion to its
 *                        prompt tokens, of each decoding step an equal part among the rows still running
 *                        in it; the shares of a batch add up to its time, so stored durations do too
 * @param reused          true when this is another request's generation, handed over because the two
 *                        requests were identical and greedy (two documents in flight with the same
 *                        chunk): it cost nothing, and its output is recorded as cached
 */
public record GenerationResult(int[] tokenIds, String text, FinishReason finishReason, int promptTokens,
                               long prefillNanos, long decodeNanos, long shareNanos, boolean reused) {
    public GenerationResult(int[] tokenIds, String text, FinishReason finishReason, int promptTokens,
                            long prefillNanos, long decodeNanos, long shareNanos) {
        this(tokenIds, text, finishReason, promptTokens, prefillNanos, decodeNanos, shareNanos, false);
    }

    /** The same text, as handed to an identical request: no time of its own. */
    public GenerationResult asReused() {
        return new GenerationResult(tokenIds, text, finishReason, promptTokens, 0, 0, 0, true);
    }

    public int generatedTokens() {
        return tokenIds.length;
    }

    /** How the text came to be: handed over from an identical request, cut at the token limit, or ended by the model. */
    public OutputOrigin origin() {
        if (reused) return OutputOrigin.CACHED;
        return finishReason == FinishReason.LENGTH ? OutputOrigin.LENGTH : OutputOrigin.STOP;
    }

    /** An output of {@code text} made by this generation, with its cost (none when reused: another request paid it). */
    public OutputDraft draft(int level, boolean isFinal, String text, List<InputRef> inputs) {
        if (reused) return new OutputDraft(level, isFinal, text, inputs, OutputOrigin.CACHED, 0, 0, 0);
        return new OutputDraft(level, isFinal, text, inputs, origin(), promptTokens, generatedTokens(), shareNanos / 1_000_000);
    }
}
