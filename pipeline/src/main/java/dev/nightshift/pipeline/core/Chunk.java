package dev.nightshift.pipeline.core;

/**
 * A span {@code [charStart, charEnd)} of an extraction's text, sized for the model.
 *
 * @param seq        position of the chunk in the document, from 0
 * @param tokenCount tokens in {@code text} by the tokenizer that sized it
 */
public record Chunk(int seq, int charStart, int charEnd, int tokenCount, String text) {
    public Chunk {
        if (seq < 0) throw new IllegalArgumentException("seq < 0");
        if (charStart < 0 || charEnd < charStart) {
            throw new IllegalArgumentException("bad span [" + charStart + ", " + charEnd + ")");
        }
        if (text == null || text.length() != charEnd - charStart) {
            throw new IllegalArgumentException("text does not match span [" + charStart + ", " + charEnd + ")");
        }
        if (tokenCount < 0) throw new IllegalArgumentException("tokenCount < 0");
    }
}
