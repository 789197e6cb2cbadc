package dev.nightshift.pipeline.store;

import dev.nightshift.pipeline.core.ExtractionStatus;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** What the database holds and how runs went: the counts `status` prints, where the file's bytes go, a run's
 * totals, every failure as it stands, the runs and what each minute of one finished. */
public final class StatusQueries {
    private final Store store;

    public StatusQueries(Store store) {
        this.store = store;
    }

    public StatusReport status() {
        synchronized (store) {
            Connection c = store.connection();
            try {
                // The latest extraction of the latest version of each source decides its state.
                String latest = """
                        SELECT e.status FROM extractions e
                        JOIN (SELECT MAX(e2.id) AS id FROM extractions e2
                              JOIN documents d ON d.id = e2.document_id
                              WHERE d.id = (SELECT MAX(d2.id) FROM documents d2 WHERE d2.source_id = d.source_id)
                              GROUP BY d.source_id) m ON m.id = e.id""";
                Map<String, Long> byStatus = new TreeMap<>();
                for (String s : Jdbc.list(c, latest, rs -> rs.getString(1))) byStatus.merge(s, 1L, Long::sum);
                // Extracted: read as well as it can be (text, or an archive's entries), pictures counted apart.
                long usable = byStatus.entrySet().stream()
                        .filter(e -> extracted(e.getKey()))
                        .mapToLong(Map.Entry::getValue).sum();
                long total = byStatus.values().stream().mapToLong(Long::longValue).sum();
                long images = byStatus.getOrDefault("IMAGE", 0L);
                // Failed: what `failures` lists (the same records), so the two always agree: documents whose
                // latest extraction failed, and files the last run could not read at all (broken links,
                // permissions, special files), which have no document.
                Map<String, Long> failures = new TreeMap<>();
                for (FailureRecord f : failures(null)) {
                    if (!f.status().equals("PARTIAL")) failures.merge(f.status(), 1L, Long::sum);
                }
                long failed = failures.values().stream().mapToLong(Long::longValue).sum();
                long outputs = Jdbc.count(c, "SELECT COUNT(*) FROM outputs WHERE is_final");
                // The last run that read files: an `ask` is a question, not a run over the archive.
                Optional<StatusReport.RunInfo> lastRun = Jdbc.first(c, """
                        SELECT id, command, status, started_at, ended_at FROM runs
                        WHERE command IN ('summarize', 'translate', 'import') OR command LIKE 'spark %' ORDER BY id DESC""",
                        rs -> new StatusReport.RunInfo(rs.getLong(1), rs.getString(2),
                                // Holding the lock, no run can be going: one recorded as running was killed.
                                store.holdsLock() && RunStatus.RUNNING.dbValue().equals(rs.getString(3)) ? RunStatus.ABANDONED.dbValue() : rs.getString(3),
                                Jdbc.instant(rs, "started_at"), Jdbc.instant(rs, "ended_at")));
                // Counted on the run; databases written before schema 5 have an event per skipped file.
                long skipped = lastRun.isEmpty() ? 0 : Jdbc.count(c,
                        "SELECT skipped + (SELECT COUNT(*) FROM events WHERE run_id = ? AND kind = ?) FROM runs WHERE id = ?",
                        lastRun.get().id(), EventKind.SKIPPED.dbValue(), lastRun.get().id());
                long files = Jdbc.count(c, "SELECT COUNT(*) FROM sources WHERE parent_id IS NULL AND id IN (SELECT source_id FROM documents)");
                long entries = Jdbc.count(c, "SELECT COUNT(*) FROM sources WHERE parent_id IS NOT NULL");
                return new StatusReport(files, entries, total, usable, images, failed, outputs, skipped, failures, lastRun.orElse(null));
            } catch (SQLException e) {
                throw new StoreException("cannot read the status: " + e.getMessage(), e);
            }
        }
    }

    /**
     * Where the database's bytes go: the file, the UTF-8 bytes of the texts and outputs it holds, and the
     * rows of each table. The file should stay within 1.5 times the texts and outputs (docs/benchmarks.md says
     * what was measured); reruns of unchanged files add a row per run, not per file.
     */
    public record Storage(long fileBytes, long textBytes, long outputBytes, Map<String, Long> rows) {
        /** The file's size over the bytes of text and outputs it holds. */
        public double ratio() {
            return textBytes + outputBytes == 0 ? 0 : (double) fileBytes / (textBytes + outputBytes);
        }
    }

    public Storage storage() {
        synchronized (store) {
            Connection c = store.connection();
            try {
                Map<String, Long> rows = new TreeMap<>();
                for (String table : List.of("runs", "sources", "documents", "document_entries", "extractions", "chunks", "outputs",
                        "lineage", "groundings", "events", "imports")) {
                    rows.put(table, Jdbc.count(c, "SELECT COUNT(*) FROM " + table));
                }
                long text = Jdbc.count(c, "SELECT COALESCE(SUM(OCTET_LENGTH(content)), 0) FROM extractions");
                long outputs = Jdbc.count(c, "SELECT COALESCE(SUM(OCTET_LENGTH(content)), 0) FROM outputs");
                long file;
                try {
                    file = java.nio.file.Files.size(store.file());
                } catch (java.io.IOException e) {
                    file = -1;
                }
                return new Storage(file, text, outputs, rows);
            } catch (SQLException e) {
                throw new StoreException("cannot measure the database: " + e.getMessage(), e);
            }
        }
    }

    /**
     * What one run generated, for benchmarks: documents with a final output, model-made outputs, their
     * prompt and generated tokens, and the run's own duration (start to end, without start-up).
     */
    public record RunTotals(long documents, long outputs, long promptTokens, long generatedTokens, double seconds) {
    }

    public RunTotals runTotals(long runId) {
        synchronized (store) {
            Connection c = store.connection();
            try {
                long documents = Jdbc.count(c, "SELECT COUNT(DISTINCT document_id) FROM outputs WHERE run_id = ? AND is_final", runId);
                long[] sums = Jdbc.first(c, """
                        SELECT COUNT(*), COALESCE(SUM(prompt_tokens), 0), COALESCE(SUM(generated_tokens), 0)
                        FROM outputs WHERE run_id = ? AND method = 'model' AND generated_tokens > 0""",
                        rs -> new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)}, runId).orElseThrow();
                double seconds = Jdbc.first(c, "SELECT started_at, ended_at FROM runs WHERE id = ?",
                        rs -> java.time.Duration.between(Jdbc.instant(rs, "started_at"), Jdbc.instant(rs, "ended_at")).toMillis() / 1000.0,
                        runId).orElseThrow();
                return new RunTotals(documents, sums[0], sums[1], sums[2], seconds);
            } catch (SQLException e) {
                throw new StoreException("cannot read run " + runId + ": " + e.getMessage(), e);
            }
        }
    }

    /**
     * Every document that failed or was cut off, as it stands now, by locator: the latest extraction of
     * the latest version of each source when it failed or was PARTIAL, and the failures recorded before
     * or after extraction by the latest run (unreadable files, a task that failed on usable text).
     *
     * @param status only this status ({@code PARSE_ERROR}, {@code PARTIAL}, ...), or null for all
     */
    public List<FailureRecord> failures(String status) {
        synchronized (store) {
            Connection c = store.connection();
            try {
                List<FailureRecord> result = new ArrayList<>(Jdbc.list(c, """
                        SELECT s.locator, e.status, e.error, e.run_id FROM extractions e
                        JOIN documents d ON d.id = e.document_id JOIN sources s ON s.id = d.source_id
                        WHERE e.id = (SELECT MAX(e2.id) FROM extractions e2 WHERE e2.document_id = d.id)
                          AND d.id = (SELECT MAX(d2.id) FROM documents d2 WHERE d2.source_id = d.source_id)
                          AND e.status NOT IN (""" + READ_WHOLE + ")",
                        rs -> new FailureRecord(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4))));
                java.util.Set<String> listed = new java.util.HashSet<>();
                result.forEach(f -> listed.add(f.locator()));
                Optional<Long> lastRun = Jdbc.first(c, "SELECT MAX(id) FROM runs", rs -> rs.getObject(1) == null ? null : rs.getLong(1));
                if (lastRun.isPresent()) {
                    for (FailureRecord f : Jdbc.list(c, """
                            SELECT s.locator, ev.detail, ev.run_id FROM events ev LEFT JOIN sources s ON s.id = ev.source_id
                            WHERE ev.run_id = ? AND ev.kind = ? AND ev.document_id IS NULL ORDER BY ev.id""",
                            rs -> fromEvent(rs.getString(1), rs.getString(2), rs.getLong(3)), lastRun.get(), EventKind.FAILED.dbValue())) {
                        if (listed.add(f.locator())) result.add(f);
                    }
                }
                return result.stream()
                        .filter(f -> status == null || f.status().equalsIgnoreCase(status))
                        .sorted(java.util.Comparator.comparing(FailureRecord::locator))
                        .toList();
            } catch (SQLException e) {
                throw new StoreException("cannot read the failures: " + e.getMessage(), e);
            }
        }
    }

    /** True for a status of a document read as well as it can be, pictures aside (they are counted apart). */
    private static boolean extracted(String status) {
        for (ExtractionStatus s : ExtractionStatus.values()) {
            if (s.name().equals(status)) return s.read() && s != ExtractionStatus.IMAGE;
        }
        return false;
    }

    /** Statuses of documents read whole (text, an archive, a picture), as an SQL list; every other one is a failure or a cut. */
    private static final String READ_WHOLE = Jdbc.statusList(s -> s.read() && s != ExtractionStatus.PARTIAL);

    /**
     * Every status {@link #failures} can list: the failure categories, PARTIAL (text cut off) and FAILED
     * for an event whose detail names no category.
     */
    public static final List<String> FAILURE_STATUSES = java.util.stream.Stream.concat(
            java.util.Arrays.stream(dev.nightshift.pipeline.core.FailureCategory.values()).map(Enum::name),
            java.util.stream.Stream.of("PARTIAL", "FAILED")).toList();

    /** What a failure event's detail can start with: an extraction status, or the task that failed. */
    private static final java.util.regex.Pattern FAILURE_DETAIL = java.util.regex.Pattern.compile(
            "^(?:(.*?): )?(" + java.util.Arrays.stream(dev.nightshift.pipeline.core.FailureCategory.values()).map(Enum::name)
                    .collect(java.util.stream.Collectors.joining("|")) + "): (.*)$",
            java.util.regex.Pattern.DOTALL);

    /** An event's "STATUS: reason", with "locator: " before it when the source was never stored. */
    private static FailureRecord fromEvent(String locator, String detail, long runId) {
        java.util.regex.Matcher m = FAILURE_DETAIL.matcher(detail == null ? "" : detail);
        if (!m.matches()) return new FailureRecord(locator == null ? "?" : locator, "FAILED", detail, runId);
        String where = locator != null ? locator : m.group(1) != null ? m.group(1) : "?";
        return new FailureRecord(where, m.group(2), m.group(3), runId);
    }

    /** Every run, newest first. */
    public List<StatusReport.RunInfo> runs() {
        synchronized (store) {
            try {
                return Jdbc.list(store.connection(), "SELECT id, command, status, started_at, ended_at FROM runs ORDER BY id DESC",
                        rs -> new StatusReport.RunInfo(rs.getLong(1), rs.getString(2), rs.getString(3),
                                Jdbc.instant(rs, "started_at"), Jdbc.instant(rs, "ended_at")));
            } catch (SQLException e) {
                throw new StoreException("cannot read runs: " + e.getMessage(), e);
            }
        }
    }

    /**
     * Documents finished per minute of a run (events of any kind but skipped), oldest first: the
     * throughput chart. {@code [epoch minute, count]}.
     */
    public List<long[]> perMinute(long runId) {
        synchronized (store) {
            try {
                List<long[]> out = new ArrayList<>();
                for (java.time.Instant at : Jdbc.list(store.connection(), "SELECT at FROM events WHERE run_id = ? AND kind <> ? ORDER BY at",
                        rs -> Jdbc.instant(rs, "at"), runId, EventKind.SKIPPED.dbValue())) {
                    long minute = at.getEpochSecond() / 60;
                    if (!out.isEmpty() && out.get(out.size() - 1)[0] == minute) out.get(out.size() - 1)[1]++;
                    else out.add(new long[] {minute, 1});
                }
                return out;
            } catch (SQLException e) {
                throw new StoreException("cannot read events: " + e.getMessage(), e);
            }
        }
    }
}
