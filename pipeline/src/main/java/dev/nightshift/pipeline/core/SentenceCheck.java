package dev.nightshift.pipeline.core;

import java.util.List;

/**
 * What the check found for one sentence of an output.
 *
 * @param start     where the sentence starts in the output's text
 * @param end       where it ends (exclusive)
 * @param supported true when its words are found together in the source and nothing it states is missing
 * @param score     0..1: how much of the sentence's weight of words the evidence holds (rare words weigh more)
 * @param evidence  the source sentences that support it, in source order
 * @param flags     what was not found, as {@code kind:text}: {@code number:17}, {@code date:31 March 2027},
 *                  {@code name:Lyon}, {@code negation:not}, {@code role:Brandt/Okafor}; {@code words} when the
 *                  words themselves are not in the source together
 */
public record SentenceCheck(int start, int end, String sentence, boolean supported, double score, List<Evidence> evidence,
                            List<String> flags) {
    public SentenceCheck {
        evidence = List.copyOf(evidence);
        flags = List.copyOf(flags);
    }
}
