package dev.nightshift.pipeline.core;

/**
 * Why a document has no result, as the run counts and lists it: an extraction that gave no usable text
 * (same names as {@link ExtractionStatus}), a source that could not be read at all, or a task that
 * failed on usable text. Stored by name in the run's events ("NAME: reason").
 */
public enum FailureCategory {
    EMPTY, NOT_TEXT, PARSE_ERROR, ENCRYPTED, UNSUPPORTED, TIMEOUT, OUT_OF_MEMORY, UNREADABLE, CRASH,
    /** The summary of usable text failed (the model's context, an engine error). */
    SUMMARIZE,
    /** The translation of usable text failed. */
    TRANSLATE,
    /** A vision model could not describe a picture (bytes Java cannot decode, an engine error). */
    DESCRIBE,
    /** Reading a schema's fields out of usable text failed (the model's context, an engine error). */
    FIELDS;

    /** The category of an extraction that gave no usable text. */
    public static FailureCategory of(ExtractionStatus status) {
        if (status.read()) throw new IllegalArgumentException(status + " is not a failure");
        return valueOf(status.name());
    }
}
