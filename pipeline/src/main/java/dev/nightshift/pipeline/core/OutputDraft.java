package dev.nightshift.pipeline.core;

import java.util.List;
import java.util.Objects;

/**
 * One node of an output tree before it is stored: level 0 nodes read chunks, higher levels read the
 * nodes below them (map-reduce). Exactly one node of a tree is final: the document's result.
 *
 * @param origin          how the text came to be (generated and ended, cut at its limit, cached, extractive, ...)
 * @param promptTokens    tokens fed to the model, or 0 without a model
 * @param generatedTokens tokens the model produced, or 0 without a model
 */
public record OutputDraft(
        int level,
        boolean isFinal,
        String text,
        List<InputRef> inputs,
        OutputOrigin origin,
        int promptTokens,
        int generatedTokens,
        long durationMs) {

    public OutputDraft {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(origin, "origin");
        inputs = List.copyOf(inputs);
        if (inputs.isEmpty()) throw new IllegalArgumentException("an output needs at least one input");
        if (level < 0) throw new IllegalArgumentException("level < 0");
    }
}
