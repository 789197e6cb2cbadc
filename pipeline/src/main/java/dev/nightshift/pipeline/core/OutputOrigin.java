package dev.nightshift.pipeline.core;

import java.util.Locale;

/** How an output's text came to be: the closed set of {@code outputs.finish_reason} values. */
public enum OutputOrigin {
    /** Generated; the model ended it. */
    STOP,
    /** Generated; it reached its token limit first (counted as "cut short"). */
    LENGTH,
    /** The text of an earlier generation of the same input under the same task, or of an identical request in flight. */
    CACHED,
    /** Kept as it was: a translated chunk with nothing to translate (numbers, code, links). */
    COPIED,
    /** Joined from the outputs below it without a model (a document's whole translation). */
    JOINED,
    /** Chosen sentences of the text (TextRank), no model. */
    EXTRACTIVE,
    /** Already in the target language: the text itself. */
    SAME_LANGUAGE,
    /**
     * The final output of an earlier document with the same bytes, under the same task and extractor,
     * copied instead of made again; its lineage leads to that output.
     */
    REUSED;

    /** The value stored in {@code outputs.finish_reason}. */
    public String dbValue() {
        return name().toLowerCase(Locale.ROOT);
    }

}
