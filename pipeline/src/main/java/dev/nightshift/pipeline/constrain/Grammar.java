package dev.nightshift.pipeline.constrain;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A regular language over bytes, written as a tree ({@link ByteDfa#of} compiles it). Enough for JSON that
 * follows a schema without recursion: literals, byte sets, sequences, choices, bounded or unbounded
 * repetition, and {@link Members}, the members of a JSON object in a fixed order where optional ones may be
 * left out (written as choices, that would double the tree for every optional member).
 */
public sealed interface Grammar {
    /** Exactly these bytes. */
    record Bytes(byte[] bytes) implements Grammar {
    }

    /** One byte of a set: bit {@code b} of {@code bits[b >> 6]} is set when byte {@code b} belongs. */
    record Set(long[] bits) implements Grammar {
        public Set {
            if (bits.length != 4) throw new IllegalArgumentException("a byte set has 256 bits");
        }

        boolean has(int b) {
            return (bits[b >> 6] >>> (b & 63) & 1) != 0;
        }
    }

    /** The parts one after the other. */
    record Seq(List<Grammar> parts) implements Grammar {
    }

    /** One of the options. */
    record Alt(List<Grammar> options) implements Grammar {
    }

    /** {@code item} from {@code min} to {@code max} times; {@code max} -1 for no limit. */
    record Repeat(Grammar item, int min, int max) implements Grammar {
        public Repeat {
            if (min < 0 || max != -1 && max < min) throw new IllegalArgumentException("bad repetition {" + min + "," + max + "}");
        }
    }

    /**
     * {@code open}, then the members in their order, each present unless optional, {@code separator} between
     * two present ones, then {@code close}.
     */
    record Members(Grammar open, List<Member> members, Grammar separator, Grammar close) implements Grammar {
    }

    record Member(Grammar grammar, boolean optional) {
    }

    static Grammar text(String s) {
        return new Bytes(s.getBytes(StandardCharsets.UTF_8));
    }

    static Grammar seq(Grammar... parts) {
        return new Seq(List.of(parts));
    }

    static Grammar alt(Grammar... options) {
        return new Alt(List.of(options));
    }

    static Grammar optional(Grammar g) {
        return new Repeat(g, 0, 1);
    }

    /** The bytes {@code from} to {@code to}, both included. */
    static Set range(int from, int to) {
        long[] bits = new long[4];
        for (int b = from; b <= to; b++) bits[b >> 6] |= 1L << (b & 63);
        return new Set(bits);
    }

    /** The bytes of {@code chars} (ASCII). */
    static Set anyOf(String chars) {
        long[] bits = new long[4];
        for (char c : chars.toCharArray()) bits[c >> 6] |= 1L << (c & 63);
        return new Set(bits);
    }

    /** Bytes in {@code a} and not in {@code b}. */
    static Set minus(Set a, Set b) {
        long[] bits = new long[4];
        for (int i = 0; i < 4; i++) bits[i] = a.bits()[i] & ~b.bits()[i];
        return new Set(bits);
    }
}
