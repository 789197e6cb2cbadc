package dev.nightshift.pipeline.task;

import dev.nightshift.pipeline.core.Chunk;
import dev.nightshift.pipeline.core.Extraction;
import dev.nightshift.pipeline.core.OutputDraft;
import dev.nightshift.pipeline.core.Task;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What a job does with each document's chunks: summarize them into a tree, translate them. The run
 * ({@link dev.nightshift.pipeline.run.DocumentRun}) extracts, chunks by {@link #chunking()}, calls
 * {@link #process} and stores the drafts with their lineage. Implementations are stateless between
 * calls and are called from one thread at a time unless {@link #parallelism()} says otherwise.
 */
public interface DocumentTask {
    /** The task performed, with everything that determines its output. */
    Task task();

    /** How documents must be chunked for this task. */
    ChunkingSpec chunking();

    /** How many documents may be processed at once (1 for a model that already uses every core). */
    default int parallelism() {
        return 1;
    }

    /**
     * Why a document needs no work although its text is usable (a translation's document already in
     * the target language), or empty. A document passed over is still finished: {@link #process} is
     * called and its outputs are stored, so the next run skips it as done.
     */
    default Optional<String> passOver(Extraction extraction) {
        return Optional.empty();
    }

    /**
     * Processes one document.
     *
     * @param chunks   the document's chunks, in order, never empty
     * @param language the document's language, used for sentence boundaries; may be {@link Locale#ROOT}
     * @return the output nodes, inputs before the nodes made from them; the last node is the final result
     */
    List<OutputDraft> process(List<Chunk> chunks, Locale language);
}
