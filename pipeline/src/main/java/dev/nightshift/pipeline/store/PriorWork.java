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
 * @param failedAttempts     how many extractions of these bytes by the same extractor failed in a way
 *                           worth retrying (timeouts, crashes, out of memory)
 * @param openEntries        documents found inside this one that are not settled under the task
 *                           (0 for a document with nothing inside it)
 * @see dev.nightshift.pipeline.run.SkipPolicy what a run makes of it
 */
public record PriorWork(long documentId, boolean completed, ExtractionStatus lastFailure, String failureReason,
                        long failedAttempts, long openEntries) {
    public static final PriorWork NONE = new PriorWork(0, false, null, null, 0, 0);
}
