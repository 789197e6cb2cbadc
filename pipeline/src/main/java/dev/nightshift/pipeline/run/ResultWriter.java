package dev.nightshift.pipeline.run;

import dev.nightshift.pipeline.store.EventKind;

import java.util.List;

/**
 * The last stage: makes a source's documents durable. Locally the H2 database ({@link StoreWriter}); a
 * Spark runner writes its partition's files instead.
 */
public interface ResultWriter {
    /** Stores one source file's documents together (all or none), with the events they call for. */
    void write(long runId, List<ProcessedDocument> documents);

    /** Records what happened to a source that left no documents: skipped, failed, cancelled. */
    void event(long runId, String locator, EventKind kind, String detail);
}
