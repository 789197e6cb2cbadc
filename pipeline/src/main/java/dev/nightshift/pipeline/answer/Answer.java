package dev.nightshift.pipeline.answer;

import dev.nightshift.pipeline.core.Passage;
import dev.nightshift.pipeline.core.OutputOrigin;
import dev.nightshift.pipeline.core.Grounding;

import java.util.List;

/**
 * What {@link Answerer} made of a question.
 *
 * @param text      the model's answer with its citation marks, or {@link Answerer#NOT_FOUND_TEXT}
 * @param sources   the passages the model was given, numbered from 1 in this order
 * @param cited     the source numbers the answer cites, in order of first citation
 * @param grounding each sentence checked against the sources it cites (all sources when it cites none);
 *                  evidence carries the chunk it lies in; null when nothing was found
 * @param left      passages retrieved but left out (or cut) to fit the model's context
 */
public record Answer(String question, String text, List<Passage> sources, List<Integer> cited, Grounding grounding,
                     boolean notFound, int left, OutputOrigin origin, int promptTokens, int generatedTokens, long durationMs) {
    public Answer {
        sources = List.copyOf(sources);
        cited = List.copyOf(cited);
    }
}
