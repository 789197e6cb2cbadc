package dev.nightshift.pipeline.core;

/**
 * A stretch of the source that supports a sentence: {@code [start, end)} in characters of the extraction's
 * text (what {@code get_text} and {@code show} cite), and the text itself.
 *
 * @param chunkId for an answer, which drew on many documents: the stored chunk the span lies in (its
 *                extraction is the one the offsets point into); 0 for an output of one document
 */
public record Evidence(int start, int end, String text, long chunkId) {
    public Evidence(int start, int end, String text) {
        this(start, end, text, 0);
    }
}
