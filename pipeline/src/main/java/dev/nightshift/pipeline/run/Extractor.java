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

    /**
     * Keeps the bytes of embedded pictures up to {@code maxBytes} each (for a vision model to describe);
     * 0 keeps none. An extractor that cannot keep them ignores it.
     */
    default Extractor keepingImages(long maxBytes) {
        return this;
    }

    /** Gets ready for the first file ahead of time (starts worker processes); by default nothing to do. */
    default void warmUp() {
    }

    @Override
    default void close() {
    }
}
