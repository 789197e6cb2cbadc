package dev.nightshift.pipeline.store;

/**
 * A document that failed, or whose text was cut off, as it stands now.
 *
 * @param locator the source ({@code /archive/a.zip!/b.pdf})
 * @param status  the extraction status ({@code PARSE_ERROR}, {@code PARTIAL}, ...), or {@code SUMMARIZE} /
 *                {@code TRANSLATE} when the task failed on usable text
 * @param reason  why, as recorded
 * @param runId   the run that recorded it
 */
public record FailureRecord(String locator, String status, String reason, long runId) {
}
