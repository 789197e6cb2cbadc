package dev.nightshift.pipeline.summarize;

import dev.nightshift.pipeline.core.Chunk;
import dev.nightshift.pipeline.core.OutputDraft;
import dev.nightshift.pipeline.core.Task;

import java.util.List;
import java.util.Locale;

/**
 * Turns a document's chunks into a summary tree. Implementations are stateless between calls and
 * safe to call from one thread at a time.
 */
public interface Summarizer {
    /** The task this summarizer performs, with everything that determines its output. */
    Task task();

    /** How documents must be chunked for this summarizer. */
    ChunkingSpec chunking();

    /** How many documents may be summarized at once (1 for a model that already uses every core). */
    default int parallelism() {
        return 1;
    }

    /**
     * Summarizes one document.
     *
     * @param chunks   the document's chunks, in order, never empty
     * @param language the document's language, used for sentence boundaries; may be {@link Locale#ROOT}
     * @return the tree's nodes, children before parents; the last node is the final summary
     */
    List<OutputDraft> summarize(List<Chunk> chunks, Locale language);
}
