package dev.nightshift.pipeline.store;

import dev.nightshift.pipeline.core.Grounding;

/**
 * One document as the report lists it: the latest version of a source, its latest extraction, and its
 * newest final output with how it was made.
 *
 * @param status     the extraction status (SUCCESS, PARTIAL, IMAGE, PARSE_ERROR, ...)
 * @param detail     the extraction's reason or detail (a failure's reason, a picture's size), or null
 * @param task       the final output's task, or null without one
 * @param text       the final output's text, or null
 * @param finish     how the output ended (stop, length, cached, extractive, ...), or null
 * @param cutShort   true when the output reached its token limit
 * @param grounding  the final output's check, sentence by sentence (evidence without its text), or null
 */
public record ReportRow(long documentId, String path, String mediaType, String language, String status, String detail,
                        int chunks, String task, String text, String model, String prompt, String finish, boolean cutShort,
                        long runId, Grounding grounding) {
}
