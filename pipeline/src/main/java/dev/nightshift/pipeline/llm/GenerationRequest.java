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
 * @param constraint   which tokens may come next (JSON that follows a schema), or null for any
 */
public record GenerationRequest(long[] promptIds, int maxNewTokens, SamplingParams sampling, boolean stopAtEos,
                                ImageFeatures images, TokenConstraint constraint) {
    public GenerationRequest {
        Objects.requireNonNull(promptIds, "promptIds");
        Objects.requireNonNull(sampling, "sampling");
        if (promptIds.length == 0) throw new IllegalArgumentException("empty prompt");
        if (maxNewTokens < 1) throw new IllegalArgumentException("maxNewTokens must be at least 1");
    }

    public GenerationRequest(long[] promptIds, int maxNewTokens, SamplingParams sampling, boolean stopAtEos) {
        this(promptIds, maxNewTokens, sampling, stopAtEos, null, null);
    }

    public GenerationRequest(long[] promptIds, int maxNewTokens, SamplingParams sampling, boolean stopAtEos, ImageFeatures images) {
        this(promptIds, maxNewTokens, sampling, stopAtEos, images, null);
    }

    /** A request whose output {@code constraint} rules, ending where the constraint says it is complete. */
    public static GenerationRequest constrained(long[] promptIds, int maxNewTokens, SamplingParams sampling, TokenConstraint constraint) {
        return new GenerationRequest(promptIds, maxNewTokens, sampling, true, null, constraint);
    }

    public static GenerationRequest greedy(long[] promptIds, int maxNewTokens) {
        return new GenerationRequest(promptIds, maxNewTokens, SamplingParams.GREEDY, true);
    }
}
