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
 * @param openEntries        documents found inside this one that are not settled under the task
 *                           (0 for a document with nothing inside it)
 */
public record PriorWork(long documentId, boolean completed, ExtractionStatus lastFailure, String failureReason,
                        long openEntries) {
    public static final PriorWork NONE = new PriorWork(0, false, null, null, 0);

    /** True when the document's own result would only be repeated (whatever is inside it). */
    public boolean ownSettled() {
        return completed || (lastFailure != null && !lastFailure.retryable());
    }

    /** True when running the document and everything inside it again would only repeat the same results. */
    public boolean settled() {
        return ownSettled() && openEntries == 0;
    }
}
