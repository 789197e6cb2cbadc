package dev.nightshift.pipeline.store;

import dev.nightshift.pipeline.core.ExtractionStatus;

/**
 * What an earlier run already did for a document (a source at one SHA-256) under one task, which
 * decides whether this run skips it.
 *
 * @param documentId         the stored document, or 0 when the document is new
 * @param completed          a final output exists under the task key
 * @param lastFailure        the status of the latest failed extraction by the same extractor, or null
 * @param failureReason      its message, or null
 */
public record PriorWork(long documentId, boolean completed, ExtractionStatus lastFailure, String failureReason) {
    public static final PriorWork NONE = new PriorWork(0, false, null, null);

    /** True when running the document again would only repeat the same result. */
    public boolean settled() {
        return completed || (lastFailure != null && !lastFailure.retryable());
    }
}
