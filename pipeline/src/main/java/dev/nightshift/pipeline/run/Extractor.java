package dev.nightshift.pipeline.run;

import dev.nightshift.pipeline.core.Extraction;
import dev.nightshift.pipeline.core.SourceItem;

/**
 * Gets text out of a document. Never throws for a bad document: every failure is an
 * {@link Extraction} with a status category and a reason. Safe to call from several threads.
 */
public interface Extractor extends AutoCloseable {
    Extraction extract(SourceItem item);

    /** Name and version, recorded with every extraction; a new version re-extracts failed documents. */
    String name();

    @Override
    default void close() {
    }
}
