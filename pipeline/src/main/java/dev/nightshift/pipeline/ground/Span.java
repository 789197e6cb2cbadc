package dev.nightshift.pipeline.ground;

/** A stretch {@code [start, end)} of a text, in characters. */
public record Span(int start, int end) {
    public Span {
        if (start < 0 || end < start) throw new IllegalArgumentException("bad span [" + start + ", " + end + ")");
    }

    public String of(String text) {
        return text.substring(start, end);
    }
}
