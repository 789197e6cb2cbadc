package dev.nightshift.pipeline.llm;

import dev.nightshift.pipeline.llm.model.GemmaTokenizer;

import java.util.Objects;

/**
 * One prompt to continue.
 *
 * @param promptIds    the prompt's token ids, special tokens included (see {@link GemmaTokenizer#encode})
 * @param maxNewTokens the most tokens to generate
 * @param sampling     how to choose tokens
 * @param stopAtEos    false only for benchmarks, which must generate exactly {@code maxNewTokens}
 * @param images       the features of the prompt's image tokens ({@link GemmaEngine#imageRequest}), or null
 */
public record GenerationRequest(long[] promptIds, int maxNewTokens, SamplingParams sampling, boolean stopAtEos,
                                ImageFeatures images) {
    public GenerationRequest {
        Objects.requireNonNull(promptIds, "promptIds");
        Objects.requireNonNull(sampling, "sampling");
        if (promptIds.length == 0) throw new IllegalArgumentException("empty prompt");
        if (maxNewTokens < 1) throw new IllegalArgumentException("maxNewTokens must be at least 1");
    }

    public GenerationRequest(long[] promptIds, int maxNewTokens, SamplingParams sampling, boolean stopAtEos) {
        this(promptIds, maxNewTokens, sampling, stopAtEos, null);
    }

    public static GenerationRequest greedy(long[] promptIds, int maxNewTokens) {
        return new GenerationRequest(promptIds, maxNewTokens, SamplingParams.GREEDY, true);
    }
}
