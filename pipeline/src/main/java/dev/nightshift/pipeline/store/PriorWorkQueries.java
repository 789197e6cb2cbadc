package dev.nightshift.pipeline.store;

import dev.nightshift.pipeline.core.ExtractionStatus;
import dev.nightshift.pipeline.core.Hashing;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;

/**
 * What earlier runs did with a document, read for the {@link SkipPolicy} (through {@link Store#priorWork}): whether
 * it is done under a task, how its last extraction failed and how often, and whether a container's entries are.
 */
final class PriorWorkQueries {
    private final Connection connection;

    PriorWorkQueries(Connection connection) {
        this.connection = connection;
    }

    PriorWork priorWork(String locator, String sha256, String taskKey, String extractor, int maxAttempts) {
        try {
            Optional<Long> documentId = Jdbc.first(connection, """
                    SELECT d.id FROM documents d JOIN sources s ON s.id = d.source_id
                    WHERE s.locator_hash = ? AND d.sha256 = ?""", rs -> rs.getLong(1), Hashing.sha256(locator), sha256);
            if (documentId.isEmpty()) return PriorWork.NONE;
            long id = documentId.get();
            boolean completed = completed(id, taskKey);
            Optional<String[]> lastExtraction = Jdbc.first(connection,
                    "SELECT status, error FROM extractions WHERE document_id = ? AND extractor = ? ORDER BY id DESC",
                    rs -> new String[] {rs.getString(1), rs.getString(2)}, id, extractor);
            ExtractionStatus failure = null;
            String reason = null;
            if (lastExtraction.isPresent()) {
                ExtractionStatus status = ExtractionStatus.valueOf(lastExtraction.get()[0]);
                if (!status.usable()) {
                    failure = status;
                    reason = lastExtraction.get()[1];
                }
            }
            long attempts = Jdbc.count(connection, "SELECT COUNT(*) FROM extractions WHERE document_id = ? AND extractor = ? AND status IN ("
                    + RETRYABLE_FAILURES + ")", id, extractor);
            long entries = Jdbc.count(connection, "SELECT COUNT(*) FROM document_entries WHERE container_id = ?", id);
            // An entry is open unless it is done under the task, failed for good, or failed in a way worth
            // retrying as often as the policy allows (the rule of SkipPolicy.ownSettled, in SQL).
            String lastStatus = """
                    COALESCE((SELECT x.status FROM extractions x WHERE x.document_id = de.entry_id AND x.extractor = ?
                              ORDER BY x.id DESC LIMIT 1), '')""";
            long openEntries = entries == 0 ? 0 : Jdbc.count(connection, """
                    SELECT COUNT(*) FROM document_entries de
                    WHERE de.container_id = ?
                      AND NOT EXISTS (SELECT 1 FROM outputs o WHERE o.document_id = de.entry_id AND o.task_key = ? AND o.is_final)
                      AND %1$s NOT IN (%2$s)
                      AND NOT (%1$s IN (%3$s)
                               AND (SELECT COUNT(*) FROM extractions x WHERE x.document_id = de.entry_id AND x.extractor = ?
                                      AND x.status IN (%3$s)) >= ?)""".formatted(lastStatus, SETTLED_FAILURES, RETRYABLE_FAILURES),
                    id, taskKey, extractor, extractor, extractor, maxAttempts);
            // A container stored before entries were linked to it (schema 1) is opened once more to link them.
            if (entries == 0 && failure == ExtractionStatus.CONTAINER) openEntries = 1;
            return new PriorWork(id, completed, failure, reason, attempts, openEntries);
        } catch (SQLException e) {
            throw new StoreException("cannot read earlier work: " + e.getMessage(), e);
        }
    }

    /** The statuses of failed extractions worth retrying, as an SQL list. */
    private static final String RETRYABLE_FAILURES = Jdbc.statusList(s -> !s.usable() && s.retryable());

    /** The statuses of failed extractions that the same bytes would only repeat, as an SQL list. */
    private static final String SETTLED_FAILURES = Jdbc.statusList(s -> !s.usable() && !s.retryable());

    private boolean completed(long documentId, String taskKey) throws SQLException {
        return Jdbc.count(connection,
                "SELECT COUNT(*) FROM outputs WHERE document_id = ? AND task_key = ? AND is_final", documentId, taskKey) > 0;
    }
}
