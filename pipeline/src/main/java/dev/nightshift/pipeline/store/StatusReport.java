package dev.nightshift.pipeline.store;

import java.time.Instant;
import java.util.Map;

/**
 * The database at a glance.
 *
 * @param documents     sources with at least one stored document version (their latest version counts)
 * @param extracted     of those, the ones whose latest extraction produced usable text
 * @param failed        of those, the ones whose latest extraction failed
 * @param outputs       final outputs (one per document and task)
 * @param skipped       documents the latest run skipped as already done
 * @param failuresByStatus failed documents by extraction status
 * @param lastRun       the latest run, or null before the first run
 */
public record StatusReport(
        long documents,
        long extracted,
        long failed,
        long outputs,
        long skipped,
        Map<String, Long> failuresByStatus,
        RunInfo lastRun) {

    public record RunInfo(long id, String command, String status, Instant startedAt, Instant endedAt) {
    }
}
