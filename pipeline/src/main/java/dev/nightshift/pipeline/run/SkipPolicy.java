package dev.nightshift.pipeline.run;

import dev.nightshift.pipeline.core.ExtractionStatus;
import dev.nightshift.pipeline.store.PriorWork;

/**
 * Which documents a run leaves as they are (the way Spring Batch's {@code SkipPolicy} decides per item).
 * A document is settled when an earlier run finished it under the same task, or when its extraction
 * failed in a way the same bytes would only repeat ({@link ExtractionStatus#retryable()} false), or
 * when a failure worth retrying (a timeout, a crash, running out of memory) has already happened
 * {@code maxAttempts} times: a file that kills its parser does not cost a child JVM every night for ever.
 * An archive or a mail is settled only when every document inside it is too.
 *
 * @param maxAttempts failed attempts after which a retryable failure stands (the first run and two more
 *                    by default); {@link Integer#MAX_VALUE} tries again whatever happened before
 */
public record SkipPolicy(int maxAttempts) {
    public static final int DEFAULT_ATTEMPTS = 3;
    public static final SkipPolicy STANDARD = new SkipPolicy(DEFAULT_ATTEMPTS);
    /** {@code --retry-failed}: every failure worth retrying is tried again. */
    public static final SkipPolicy RETRY_FAILED = new SkipPolicy(Integer.MAX_VALUE);

    public SkipPolicy {
        if (maxAttempts < 1) throw new IllegalArgumentException("maxAttempts must be at least 1");
    }

    /** True when the document's own result would only be repeated (whatever is inside it). */
    public boolean ownSettled(PriorWork prior) {
        if (prior.completed()) return true;
        ExtractionStatus failure = prior.lastFailure();
        return failure != null && (!failure.retryable() || prior.failedAttempts() >= maxAttempts);
    }

    /** True when the document and everything inside it would only give the same results again. */
    public boolean settled(PriorWork prior) {
        return ownSettled(prior) && prior.openEntries() == 0;
    }

    /** Why a settled document is skipped, for the run's events and progress. */
    public String reason(PriorWork prior) {
        if (prior.completed()) return "unchanged, already done";
        if (prior.lastFailure() == ExtractionStatus.CONTAINER) return "unchanged archive or mailbox, its entries are done";
        if (prior.lastFailure() == ExtractionStatus.IMAGE) return "unchanged image, recorded before: " + prior.failureReason();
        if (prior.lastFailure().retryable()) {
            return "unchanged, extraction failed " + prior.failedAttempts() + " times: " + prior.lastFailure() + ": "
                    + prior.failureReason() + " (--retry-failed tries again)";
        }
        return "unchanged, extraction failed before: " + prior.lastFailure() + ": " + prior.failureReason();
    }
}
