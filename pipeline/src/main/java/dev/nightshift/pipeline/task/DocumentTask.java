package dev.nightshift.pipeline.task;

import dev.nightshift.pipeline.core.Chunk;

import java.util.List;
import java.util.Locale;

/**
 * What a job does with each document's chunks: summarize them into a tree, translate them. The run
 * reads {@link #profile()} once (task key, chunking, parallelism), chunks each document accordingly,
 * calls {@link #process} and stores the drafts with their lineage. Implementations keep no state
 * between documents and may be called from {@link TaskProfile#parallelism()} threads at once.
 */
public interface DocumentTask {
    /** What the task is and how it wants its input: read once per run. */
    TaskProfile profile();

    /**
     * Processes one document.
     *
     * @param chunks   the document's chunks, in order, never empty
     * @param language the document's language (sentence boundaries, a translation's source); may be
     *                 {@link Locale#ROOT} when unknown
     */
    TaskOutput process(List<Chunk> chunks, Locale language);
}
