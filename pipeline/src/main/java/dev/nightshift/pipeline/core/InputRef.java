package dev.nightshift.pipeline.core;

import java.util.Objects;

/**
 * An edge of the lineage: one input an output was made from, either a chunk (by its sequence number
 * in the document), an earlier output of the same tree (by its index in the tree's node list), or an
 * output already stored for another document (by its id: the original of a copy).
 */
public record InputRef(Kind kind, int index) {
    public enum Kind { CHUNK, OUTPUT, STORED }

    public InputRef {
        Objects.requireNonNull(kind, "kind");
        if (index < 0) throw new IllegalArgumentException("index < 0");
    }

    public static InputRef chunk(int seq) {
        return new InputRef(Kind.CHUNK, seq);
    }

    public static InputRef output(int index) {
        return new InputRef(Kind.OUTPUT, index);
    }

    /** A stored output by its database id (below 2^31: a local database holds far fewer outputs). */
    public static InputRef stored(long outputId) {
        return new InputRef(Kind.STORED, Math.toIntExact(outputId));
    }
}
