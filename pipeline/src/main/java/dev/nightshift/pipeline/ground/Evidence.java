package dev.nightshift.pipeline.ground;

/**
 * A stretch of the source that supports a sentence: {@code [start, end)} in characters of the extraction's
 * text (what {@code get_text} and {@code show} cite), and the text itself.
 */
public record Evidence(int start, int end, String text) {
}
