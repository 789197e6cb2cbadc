package dev.nightshift.pipeline.store;

import dev.nightshift.pipeline.core.OutputOrigin;
import dev.nightshift.pipeline.core.Passage;
import dev.nightshift.pipeline.core.Grounding;

import java.util.List;

/**
 * An output made for no single document, as the store keeps it: the answer to {@code question}, made from
 * {@code sources} (its lineage, in the order the model saw them as [1], [2], ...), with its check.
 *
 * @param grounding the check of each sentence against the sources, or null when nothing was generated
 */
public record QuestionOutput(String question, String text, OutputOrigin origin, int promptTokens, int generatedTokens,
                             long durationMs, List<Passage> sources, Grounding grounding) {
    public QuestionOutput {
        sources = List.copyOf(sources);
    }
}
