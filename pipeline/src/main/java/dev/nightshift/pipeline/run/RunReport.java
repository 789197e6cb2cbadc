package dev.nightshift.pipeline.run;

import java.time.Duration;
import dev.nightshift.pipeline.core.FailureCategory;

import java.util.Map;

/**
 * What a run did, for the closing summary and the exit code.
 *
 * @param discovered       source files found
 * @param entries          documents found inside them (archive entries, attachments)
 * @param extracted        documents with usable text, entries included
 * @param done             documents summarized or translated
 * @param images           pictures recorded (size, format, date, camera), counted apart: not failures
 * @param imagesDescribed  of those, the ones a vision model described
 * @param partial          documents whose text was cut at the extraction write limit (PARTIAL): processed, but
 *                         from part of their text, so the run does not count as complete
 * @param cutShort         outputs whose generation stopped at its token limit ({@code finish_reason=length})
 * @param checked          model-made outputs checked against their source (pipeline/ground)
 * @param unsupported      of those, the ones with at least one sentence the source does not support
 * @param failuresByCategory failed documents by category
 */
public record RunReport(
        long runId,
        long discovered,
        long entries,
        long extracted,
        long done,
        long images,
        long imagesDescribed,
        long partial,
        long cutShort,
        long checked,
        long unsupported,
        long skipped,
        long failed,
        Map<FailureCategory, Long> failuresByCategory,
        boolean interrupted,
        Duration elapsed) {

    public RunReport {
        // In the enum's order: a summary printed twice lists its failures the same way (Map.copyOf's order varies between runs).
        var ordered = new java.util.EnumMap<FailureCategory, Long>(FailureCategory.class);
        ordered.putAll(failuresByCategory);
        failuresByCategory = java.util.Collections.unmodifiableMap(ordered);
    }
}
