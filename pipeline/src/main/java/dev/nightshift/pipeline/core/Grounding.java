package dev.nightshift.pipeline.core;

import java.util.List;

/**
 * The check of one text (an output, an answer, a file of claims) against its source, sentence by sentence.
 *
 * @param checker which check made it ({@link GroundingCheck#VERSION}): a stored result names its method
 */
public record Grounding(String checker, List<SentenceCheck> sentences) {
    public Grounding {
        sentences = List.copyOf(sentences);
    }

    public int unsupported() {
        return (int) sentences.stream().filter(s -> !s.supported()).count();
    }
}
