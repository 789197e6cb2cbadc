package dev.nightshift.pipeline.store;

import java.time.Instant;
import java.util.Map;

/**
 * The database at a glance.
 *
 * @param files         sources that are files of their own (not inside another document)
 * @param entries       sources found inside another document (archive entries, attachments)
 * @param documents     sources with at least one stored document version (their latest version counts)
 * @param extracted     of those, the ones whose latest extraction produced usable text (or found entries, for archives)
 * @param images        of those, pictures without text (recorded with size, format, date; not failures)
 * @param failed        what {@code failures} lists, PARTIAL aside: documents whose latest extraction failed, and
 *                      files the last run could not read at all (no document; broken links, special files)
 * @param outputs       final outputs (one per document and task)
 * @param skipped       documents the latest run skipped as already done
 * @param failuresByStatus the failed, by status
 * @param lastRun       the latest run over files (summarize, translate, import, Spark; not ask), or null before the
 *                      first; a run recorded as running is shown abandoned when no process holds the database
 */
public record StatusReport(
        long files,
        long entries,
        long documents,
        long extracted,
        long images,
        long failed,
        long outputs,
        long skipped,
        Map<String, Long> failuresByStatus,
        RunInfo lastRun) {

    public record RunInfo(long id, String command, String status, Instant startedAt, Instant endedAt) {
    }
}
