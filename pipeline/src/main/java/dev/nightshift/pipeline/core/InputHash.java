package dev.nightshift.pipeline.core;

import java.util.List;

/**
 * The identity of an output's input: the kinds and texts it was made from. Two outputs of the same
 * task key with the same input hash are the same generation, which the result cache relies on.
 */
public final class InputHash {
    private InputHash() {
    }

    /** A node that reads chunks. */
    public static String ofChunks(List<String> texts) {
        return of("chunk", texts);
    }

    /** A node that reads earlier outputs. */
    public static String ofOutputs(List<String> texts) {
        return of("output", texts);
    }

    private static String of(String kind, List<String> texts) {
        StringBuilder identity = new StringBuilder();
        for (String t : texts) identity.append(kind).append(':').append(Hashing.sha256(t)).append('\n');
        return Hashing.sha256(identity.toString());
    }
}
