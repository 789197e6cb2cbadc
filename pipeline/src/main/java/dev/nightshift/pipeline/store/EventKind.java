package dev.nightshift.pipeline.store;

import java.util.Locale;

/** What happened to a source in a run: the closed set of {@code events.kind} values. */
public enum EventKind {
    /** Read and extracted; no output (the task made none, or the text was empty). */
    EXTRACTED,
    /** Outputs were stored (a summary or a translation). */
    SUMMARIZED,
    /** Left as it was: unchanged and done, failed for good, or already in the target language. */
    SKIPPED,
    /** Could not be read or processed; the detail starts with the status ({@code PARSE_ERROR: ...}). */
    FAILED,
    /** The text was cut at the extraction write limit: processed from part of it. */
    PARTIAL,
    /** Outputs that reached their token limit before the model ended them. */
    CUT_SHORT,
    /** The run stopped while the document was being processed; the next run does it again. */
    CANCELLED;

    /** The value stored in {@code events.kind}. */
    public String dbValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
