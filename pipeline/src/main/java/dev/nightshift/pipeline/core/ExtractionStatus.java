package dev.nightshift.pipeline.core;

/**
 * What became of an extraction, as a category the run can act on (the way Tika pipes groups its
 * results): usable text goes on to chunking; everything else is recorded as a failure with its reason.
 */
public enum ExtractionStatus {
    /** Text was extracted. */
    SUCCESS(true, false),
    /** Text was extracted but the write limit cut it; what was kept is usable and the cut is recorded. */
    PARTIAL(true, false),
    /**
     * An archive or mailbox with no text of its own, whose entries are documents of their own. Nothing
     * to summarize, nothing failed: unchanged, it is skipped like a finished document.
     */
    CONTAINER(false, false),
    /**
     * A picture (a file, or one found inside a document) with no text read from it: recorded with its
     * dimensions, format, date and camera where known, described by a vision model when one is given.
     * Not a failure: a picture is not a broken document.
     */
    IMAGE(false, false),
    /** The file parsed but holds no text (zero bytes, a blank page). */
    EMPTY(false, false),
    /**
     * The parser gave characters, but they are not language: base64 blocks, hex dumps, binary data
     * (see {@link dev.nightshift.pipeline.text.NotLanguage}). Nothing to summarize or translate.
     */
    NOT_TEXT(false, false),
    /** The parser rejected the file as malformed. */
    PARSE_ERROR(false, false),
    /** The file is password-protected or encrypted. */
    ENCRYPTED(false, false),
    /** No parser for this media type. */
    UNSUPPORTED(false, false),
    /** The parser did not finish within the per-file timeout. May succeed with more time. */
    TIMEOUT(false, true),
    /** The parser ran out of memory. May succeed with a larger heap. */
    OUT_OF_MEMORY(false, true),
    /** The bytes could not be read (permissions, vanished file, I/O error). May succeed later. */
    UNREADABLE(false, true),
    /** Something unexpected failed inside the extractor. */
    CRASH(false, true);

    private final boolean usable;
    private final boolean retryable;

    ExtractionStatus(boolean usable, boolean retryable) {
        this.usable = usable;
        this.retryable = retryable;
    }

    /** True when the extraction carries text worth chunking. */
    public boolean usable() {
        return usable;
    }

    /** True for a usable extraction, a container and an image: the document was read as well as it can be. */
    public boolean read() {
        return usable || this == CONTAINER || this == IMAGE;
    }

    /** True when the same bytes may extract differently next run, so a rerun should try again. */
    public boolean retryable() {
        return retryable;
    }
}
