package dev.nightshift.pipeline.run;

import dev.nightshift.pipeline.core.Chunk;
import dev.nightshift.pipeline.core.Extraction;
import dev.nightshift.pipeline.core.FetchedDocument;

import java.util.List;

/**
 * One document ready for the task: a source file itself, or an entry found inside it.
 *
 * @param tokenizer the name of the tokenizer the chunks were counted with, or null without chunks
 * @param chunks    the text cut for the task; empty when the extraction gave no usable text
 * @param unchanged why an earlier run's result stands (its container is read again for other entries),
 *                  or null when the document is to be processed
 * @param imageBytes a picture's bytes, kept when a vision model is to describe it, else null
 * @param imageNotKept why a picture's bytes are not there when that is known (too large, unreadable), else null
 */
public record PreparedDocument(FetchedDocument document, Extraction extraction, String tokenizer, List<Chunk> chunks,
                               String unchanged, byte[] imageBytes, String imageNotKept) {
    public PreparedDocument {
        chunks = List.copyOf(chunks);
    }

    public PreparedDocument(FetchedDocument document, Extraction extraction, String tokenizer, List<Chunk> chunks, String unchanged) {
        this(document, extraction, tokenizer, chunks, unchanged, null, null);
    }

    static PreparedDocument unchanged(FetchedDocument document, Extraction extraction, String why) {
        return new PreparedDocument(document, extraction, null, List.of(), why);
    }

    PreparedDocument withImage(byte[] bytes) {
        return new PreparedDocument(document, extraction, tokenizer, chunks, unchanged, bytes, null);
    }

    /** A picture whose bytes could not be kept for the vision model, and why (shown with the picture). */
    PreparedDocument withoutImage(String why) {
        return new PreparedDocument(document, extraction, tokenizer, chunks, unchanged, null, why);
    }

    public String locator() {
        return document.source().locator();
    }
}
