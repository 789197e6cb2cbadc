package dev.nightshift.pipeline.store;

import dev.nightshift.pipeline.answer.Passage;

import dev.nightshift.pipeline.ground.Evidence;
import dev.nightshift.pipeline.ground.Grounding;
import dev.nightshift.pipeline.ground.SentenceCheck;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/** Read-only views of the store: status, lineage trees, export records. */
public final class Reports {
    private final Store store;

    public Reports(Store store) {
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
                long usable = byStatus.getOrDefault("SUCCESS", 0L) + byStatus.getOrDefault("PARTIAL", 0L)
                        + byStatus.getOrDefault("CONTAINER", 0L);
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
                          AND e.status NOT IN ('SUCCESS', 'CONTAINER', 'IMAGE')""",
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

    /**
     * The lineage of everything stored for a source (by locator, or a suffix of it such as a file
     * name) or a document (by id or SHA-256 prefix): source, document versions, extractions, output trees.
     */
    public List<Lineage.Document> lineage(String pathOrId) {
        synchronized (store) {
            Connection c = store.connection();
            try {
                List<Long> documentIds = findDocuments(c, pathOrId);
                List<Lineage.Document> trees = new ArrayList<>();
                for (long id : documentIds) trees.add(documentTree(c, id));
                return trees;
            } catch (SQLException e) {
                throw new StoreException("cannot read the lineage: " + e.getMessage(), e);
            }
        }
    }

    private static List<Long> findDocuments(Connection c, String key) throws SQLException {
        if (key.matches("\\d{1,18}")) {
            List<Long> byId = Jdbc.list(c, "SELECT id FROM documents WHERE id = ?", rs -> rs.getLong(1), Long.parseLong(key));
            if (!byId.isEmpty()) return byId;
        }
        if (key.matches("[0-9a-fA-F]{8,64}")) {
            List<Long> bySha = Jdbc.list(c, "SELECT id FROM documents WHERE sha256 LIKE ? ORDER BY id",
                    rs -> rs.getLong(1), key.toLowerCase() + "%");
            if (!bySha.isEmpty()) return bySha;
        }
        List<Long> exact = Jdbc.list(c, """
                SELECT d.id FROM documents d JOIN sources s ON s.id = d.source_id WHERE s.locator = ? ORDER BY d.id""",
                rs -> rs.getLong(1), key);
        if (!exact.isEmpty()) return exact;
        // A relative path or a file name: match the end of the locator at a path boundary, as typed and
        // with Windows separators read as /. A name whose bytes are not UTF-8 is stored with them written
        // \xE9; typed through a shell, each such byte arrives as U+FFFD, which matches any one of them.
        List<Long> found = new ArrayList<>();
        for (String typed : new java.util.LinkedHashSet<>(List.of(key, key.replace("\\", "/")))) {
            String suffix = typed;
            while (suffix.startsWith("./")) suffix = suffix.substring(2);
            String pattern = escapeLike(suffix).replace("\uFFFD", "\\\\x__");
            found = Jdbc.list(c, """
                    SELECT d.id FROM documents d JOIN sources s ON s.id = d.source_id
                    WHERE s.locator LIKE ? ESCAPE '\\' OR s.locator LIKE ? ESCAPE '\\' ORDER BY d.id""",
                    rs -> rs.getLong(1), "%/" + pattern, "%!/" + pattern);
            if (!found.isEmpty()) return found;
        }
        return found;
    }

    private static String escapeLike(String s) {
        return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    /** The columns {@link #documentInfo} reads, for a query joining documents d and sources s. */
    private static final String DOCUMENT_COLUMNS =
            "d.id AS document_id, s.locator, d.sha256, d.size_bytes, d.media_type, d.language, d.modified_at";

    private static DocumentInfo documentInfo(ResultSet rs) throws SQLException {
        return new DocumentInfo(rs.getLong("document_id"), rs.getString("locator"), rs.getString("sha256"), rs.getLong("size_bytes"),
                rs.getString("media_type"), rs.getString("language"), Jdbc.instant(rs, "modified_at"));
    }

    /** The columns {@link #provenance} reads, for a query on outputs o. */
    private static final String OUTPUT_COLUMNS = """
            o.id AS output_id, o.run_id, o.task, o.method, o.model, o.model_digest, o.prompt_name, o.prompt_version,
            o.prompt_hash, o.parameters, o.level, o.is_final, o.finish_reason, o.prompt_tokens, o.generated_tokens,
            o.duration_ms, o.created_at, o.content""";

    private static Provenance provenance(ResultSet rs) throws SQLException {
        return new Provenance(rs.getLong("output_id"), rs.getLong("run_id"), rs.getString("task"), rs.getString("method"),
                rs.getString("model"), rs.getString("model_digest"), rs.getString("prompt_name"), rs.getString("prompt_version"),
                rs.getString("prompt_hash"), rs.getString("parameters"), rs.getInt("level"), rs.getBoolean("is_final"),
                rs.getString("finish_reason"), rs.getInt("prompt_tokens"), rs.getInt("generated_tokens"),
                rs.getLong("duration_ms"), Jdbc.instant(rs, "created_at"));
    }

    private static Lineage.Document documentTree(Connection c, long documentId) throws SQLException {
        DocumentInfo info = Jdbc.first(c, "SELECT " + DOCUMENT_COLUMNS
                + " FROM documents d JOIN sources s ON s.id = d.source_id WHERE d.id = ?", Reports::documentInfo, documentId).orElseThrow();
        List<Lineage.Extraction> extractions = new ArrayList<>();
        for (long extractionId : Jdbc.list(c, "SELECT id FROM extractions WHERE document_id = ? ORDER BY id",
                rs -> rs.getLong(1), documentId)) {
            extractions.add(extractionTree(c, documentId, extractionId));
        }
        // An archive or a mail shows the documents found inside it (the latest version of each entry).
        List<Lineage.Document> entries = new ArrayList<>();
        for (long entry : Jdbc.list(c, """
                SELECT MAX(d.id) FROM documents d JOIN sources s ON s.id = d.source_id
                WHERE s.parent_id = (SELECT source_id FROM documents WHERE id = ?) GROUP BY s.id ORDER BY MIN(s.id)""",
                rs -> rs.getLong(1), documentId)) {
            entries.add(documentTree(c, entry));
        }
        return new Lineage.Document(info, languageNote(c, documentId, info.language()), extractions, entries);
    }

    /** Why a document has no language: too little text to tell, or no clear answer; null when it has one. */
    private static String languageNote(Connection c, long documentId, String code) throws SQLException {
        if (code != null && !code.isBlank()) return null;
        Optional<String> text = Jdbc.first(c, "SELECT content FROM extractions WHERE document_id = ? AND content IS NOT NULL ORDER BY id DESC",
                rs -> rs.getString(1), documentId);
        if (text.isEmpty()) return null;
        return dev.nightshift.pipeline.text.LanguageSample.of(text.get()).tooShort() ? "too little text to tell" : "no clear answer";
    }

    private static Lineage.Extraction extractionTree(Connection c, long documentId, long extractionId) throws SQLException {
        // A copy of another document's output (finish_reason 'reused') reads that document's chunks: it
        // belongs to the extraction stored with it, in the same run.
        List<long[]> finals = Jdbc.list(c, """
                SELECT DISTINCT o.id, CASE WHEN o.finish_reason = 'reused' THEN o.run_id ELSE -1 END FROM outputs o
                JOIN lineage l ON l.output_id = o.id WHERE o.document_id = ? AND o.is_final ORDER BY o.id""",
                rs -> new long[] {rs.getLong(1), rs.getLong(2)}, documentId);
        long extractionRun = Jdbc.first(c, "SELECT run_id FROM extractions WHERE id = ?", rs -> rs.getLong(1), extractionId).orElse(-2L);
        List<Lineage.Output> outputs = new ArrayList<>();
        for (long[] f : finals) {
            long outputId = f[0];
            boolean copyOfThisRun = f[1] == extractionRun;
            if (copyOfThisRun || (f[1] < 0 && chunkIdsUnder(c, outputId).stream().anyMatch(chunk -> extractionOf(c, chunk) == extractionId))) {
                outputs.add(outputTree(c, outputId));
            }
        }
        return Jdbc.first(c, """
                SELECT status, parser, tika_version, char_count, duration_ms, error, run_id,
                       CASE WHEN status = 'NOT_TEXT' THEN content END AS kept FROM extractions WHERE id = ?""",
                rs -> new Lineage.Extraction(extractionId, rs.getLong("run_id"), rs.getString("status"), rs.getString("parser"),
                        rs.getString("tika_version"), rs.getLong("char_count"), rs.getLong("duration_ms"), rs.getString("error"),
                        rs.getString("kept"), outputs),
                extractionId).orElseThrow();
    }

    private static long extractionOf(Connection c, long chunkId) {
        try {
            return Jdbc.first(c, "SELECT extraction_id FROM chunks WHERE id = ?", rs -> rs.getLong(1), chunkId).orElse(-1L);
        } catch (SQLException e) {
            throw new StoreException("cannot read chunk " + chunkId + ": " + e.getMessage(), e);
        }
    }

    private static Lineage.Output outputTree(Connection c, long outputId) throws SQLException {
        record Row(Provenance provenance, String text) {
        }
        Row o = Jdbc.first(c, "SELECT " + OUTPUT_COLUMNS + " FROM outputs o WHERE o.id = ?",
                rs -> new Row(provenance(rs), rs.getString("content")), outputId).orElseThrow();
        List<Lineage> inputs = new ArrayList<>();
        for (Input in : inputs(c, outputId)) {
            inputs.add(in.chunk() ? new Lineage.Chunk(chunkSpan(c, in.id())) : outputTree(c, in.id()));
        }
        return new Lineage.Output(o.provenance(), o.text(), inputs, grounding(c, outputId, o.text(), true));
    }

    /**
     * How well an output's source supports it, sentence by sentence, or null when it was not checked. With
     * {@code evidenceText}, each evidence span's text is read from the extraction the output's chunks are in.
     */
    static Grounding grounding(Connection c, long outputId, String outputText, boolean evidenceText) throws SQLException {
        record Row(String checker, int start, int end, boolean supported, double score, String evidence, String flags) {
        }
        List<Row> rows = Jdbc.list(c, """
                SELECT checker, sentence_start, sentence_end, supported, score, evidence, flags
                FROM groundings WHERE output_id = ? ORDER BY seq""",
                rs -> new Row(rs.getString(1), rs.getInt(2), rs.getInt(3), rs.getBoolean(4), rs.getDouble(5), rs.getString(6),
                        rs.getString(7)), outputId);
        if (rows.isEmpty()) return null;
        long extractionId = -1;
        if (evidenceText) {
            List<Long> chunks = chunkIdsUnder(c, outputId);
            if (!chunks.isEmpty()) extractionId = extractionOf(c, chunks.get(0));
        }
        List<SentenceCheck> sentences = new ArrayList<>();
        for (Row r : rows) {
            List<Evidence> evidence = new ArrayList<>();
            for (long[] span : GroundingJson.readSpans(r.evidence())) {
                long chunk = span.length > 2 ? span[2] : 0; // an answer's evidence names its chunk
                long in = chunk > 0 && evidenceText ? extractionOf(c, chunk) : extractionId;
                String text = in < 0 ? "" : Jdbc.first(c, "SELECT SUBSTRING(content, ?, ?) FROM extractions WHERE id = ?",
                        rs -> rs.getString(1), span[0] + 1, span[1] - span[0], in).orElse("");
                evidence.add(new Evidence((int) span[0], (int) span[1], text == null ? "" : text, chunk));
            }
            String sentence = r.end() <= outputText.length() ? outputText.substring(r.start(), r.end()) : "";
            sentences.add(new SentenceCheck(r.start(), r.end(), sentence, r.supported(), r.score(), evidence,
                    GroundingJson.readFlags(r.flags())));
        }
        return new Grounding(rows.get(0).checker(), sentences);
    }

    private static ChunkSpan chunkSpan(Connection c, long chunkId) throws SQLException {
        return Jdbc.first(c, "SELECT extraction_id, seq, char_start, char_end, token_count, tokenizer FROM chunks WHERE id = ?",
                rs -> new ChunkSpan(rs.getLong(1), rs.getInt(2), rs.getInt(3), rs.getInt(4), rs.getInt(5), rs.getString(6)),
                chunkId).orElseThrow();
    }

    /** One row of an output's lineage: a chunk or another output, by id. */
    private record Input(boolean chunk, long id) {
    }

    private static List<Input> inputs(Connection c, long outputId) throws SQLException {
        return Jdbc.list(c, "SELECT input_kind, input_id FROM lineage WHERE output_id = ? ORDER BY ord",
                rs -> new Input("chunk".equals(rs.getString(1)), rs.getLong(2)), outputId);
    }

    /** All chunk ids an output reads, directly or through the outputs below it. */
    static List<Long> chunkIdsUnder(Connection c, long outputId) {
        List<Long> result = new ArrayList<>();
        try {
            for (Input in : inputs(c, outputId)) {
                if (in.chunk()) result.add(in.id()); else result.addAll(chunkIdsUnder(c, in.id()));
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read lineage of output " + outputId + ": " + e.getMessage(), e);
        }
        return result;
    }

    /**
     * Streams, for every source whose latest version has one, the newest final output under a task key
     * (e.g. each document's whole translation), in locator order.
     */
    public void finalOutputs(String taskKey, BiConsumer<String, String> sink) {
        synchronized (store) {
            Connection c = store.connection();
            String sql = """
                    SELECT s.locator, o.content
                    FROM outputs o JOIN documents d ON d.id = o.document_id JOIN sources s ON s.id = d.source_id
                    WHERE o.task_key = ? AND o.is_final
                      AND d.id = (SELECT MAX(d2.id) FROM documents d2 WHERE d2.source_id = d.source_id)
                      AND o.id = (SELECT MAX(o2.id) FROM outputs o2 WHERE o2.document_id = d.id AND o2.task_key = ? AND o2.is_final)
                    ORDER BY s.locator""";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, taskKey);
                ps.setString(2, taskKey);
                ps.setFetchSize(100);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) sink.accept(rs.getString(1), rs.getString(2));
                }
            } catch (SQLException e) {
                throw new StoreException("cannot read outputs: " + e.getMessage(), e);
            }
        }
    }

    /**
     * Streams one row per source (its latest document version) in path order: what the report's
     * document table shows. Memory stays flat: rows are read with a cursor and handed on one by one.
     */
    public void reportRows(Consumer<ReportRow> sink) {
        synchronized (store) {
            Connection c = store.connection();
            String sql = """
                    SELECT d.id, s.locator, d.media_type, d.language, e.status, e.error, e.run_id,
                           (SELECT COUNT(*) FROM chunks ch WHERE ch.extraction_id = e.id) AS chunks,
                           o.id AS output_id, o.task, o.content, o.model, o.prompt_name, o.prompt_version, o.finish_reason
                    FROM documents d JOIN sources s ON s.id = d.source_id
                    LEFT JOIN extractions e ON e.id = (SELECT MAX(e2.id) FROM extractions e2 WHERE e2.document_id = d.id)
                    LEFT JOIN outputs o ON o.id = (SELECT MAX(o2.id) FROM outputs o2 WHERE o2.document_id = d.id AND o2.is_final)
                    WHERE d.id = (SELECT MAX(d2.id) FROM documents d2 WHERE d2.source_id = d.source_id)
                    ORDER BY s.locator""";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setFetchSize(500);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String finish = rs.getString("finish_reason");
                        String prompt = rs.getString("prompt_name") == null ? null : rs.getString("prompt_name") + " v" + rs.getString("prompt_version");
                        sink.accept(new ReportRow(rs.getLong(1), rs.getString("locator"), rs.getString("media_type"), rs.getString("language"),
                                rs.getString("status"), rs.getString("error"), rs.getInt("chunks"), rs.getString("task"), rs.getString("content"),
                                rs.getString("model"), prompt, finish, "length".equals(finish), rs.getLong("run_id"),
                                checkedOrigin(finish) ? grounding(c, rs.getLong("output_id"), rs.getString("content"), false) : null));
                    }
                }
            } catch (SQLException e) {
                throw new StoreException("cannot read documents for the report: " + e.getMessage(), e);
            }
        }
    }

    /**
     * A stored chunk of a document's extraction by its place (what the search index knows of it), with its
     * text and path: a passage to answer from. Empty when the database no longer holds it.
     */
    public Optional<Passage> passage(long documentId, int seq, int start, int end, double score) {
        synchronized (store) {
            try {
                return Jdbc.first(store.connection(), """
                        SELECT ch.id, ch.extraction_id, s.locator, SUBSTRING(e.content, ?, ?)
                        FROM chunks ch JOIN extractions e ON e.id = ch.extraction_id JOIN documents d ON d.id = e.document_id
                        JOIN sources s ON s.id = d.source_id
                        WHERE e.document_id = ? AND ch.seq = ? AND ch.char_start = ? AND ch.char_end = ?
                        ORDER BY ch.id DESC""",
                        rs -> new Passage(rs.getLong(1), documentId, rs.getString(3), rs.getLong(2), start, end,
                                rs.getString(4) == null ? "" : rs.getString(4), score),
                        start + 1, end - start, documentId, seq, start, end);
            } catch (SQLException e) {
                throw new StoreException("cannot read a chunk: " + e.getMessage(), e);
            }
        }
    }

    /** A span of a stored extraction's text, where it came from, and how long the whole text is. */
    public record TextSpan(long documentId, long extractionId, String path, int start, int end, long length, String text) {
    }

    /**
     * The text {@code [start, end)} of a document's latest extraction with text (or of one extraction, by id,
     * when {@code extractionId} > 0), clamped to the text's length; empty when the database holds no such
     * document or extraction. Only what is stored is read: no file is opened.
     */
    public Optional<TextSpan> text(String document, long extractionId, int start, int end) {
        synchronized (store) {
            Connection c = store.connection();
            try {
                Long id = null;
                if (extractionId > 0) {
                    id = Jdbc.first(c, "SELECT id FROM extractions WHERE id = ?", rs -> rs.getLong(1), extractionId).orElse(null);
                } else {
                    List<Long> documents = findDocuments(c, document);
                    if (!documents.isEmpty()) {
                        id = Jdbc.first(c, "SELECT MAX(id) FROM extractions WHERE document_id = ? AND content IS NOT NULL AND char_count > 0",
                                rs -> rs.getObject(1) == null ? null : rs.getLong(1), documents.get(documents.size() - 1)).orElse(null);
                    }
                }
                if (id == null) return Optional.empty();
                long eid = id;
                return Jdbc.first(c, """
                        SELECT e.document_id, s.locator, e.char_count, SUBSTRING(e.content, ?, ?)
                        FROM extractions e JOIN documents d ON d.id = e.document_id JOIN sources s ON s.id = d.source_id WHERE e.id = ?""",
                        rs -> {
                            long length = rs.getLong(3);
                            String t = rs.getString(4) == null ? "" : rs.getString(4);
                            int from = (int) Math.min(start, length);
                            return new TextSpan(rs.getLong(1), eid, rs.getString(2), from, from + t.length(), length, t);
                        }, start + 1, Math.max(0, end - start), eid);
            } catch (SQLException e) {
                throw new StoreException("cannot read text: " + e.getMessage(), e);
            }
        }
    }

    /** Only generated outputs are checked: the report looks up no others. */
    private static boolean checkedOrigin(String finish) {
        return "stop".equals(finish) || "length".equals(finish) || "cached".equals(finish);
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

    /**
     * How far the database has come: the highest document, extraction and output ids. The search index
     * keeps the mark it was built to and re-indexes every document that gained a row since (a new
     * version, a new extraction, a new task's output such as a translation or a picture's description).
     * Answers (outputs of no document) are not indexed and do not move it.
     */
    public record Mark(long document, long extraction, long output) {
        public static final Mark ZERO = new Mark(0, 0, 0);
    }

    public Mark mark() {
        synchronized (store) {
            try {
                return Jdbc.first(store.connection(), """
                        SELECT (SELECT COALESCE(MAX(id), 0) FROM documents), (SELECT COALESCE(MAX(id), 0) FROM extractions),
                               (SELECT COALESCE(MAX(id), 0) FROM outputs WHERE document_id IS NOT NULL)""",
                        rs -> new Mark(rs.getLong(1), rs.getLong(2), rs.getLong(3))).orElse(Mark.ZERO);
            } catch (SQLException e) {
                throw new StoreException("cannot read the database's mark: " + e.getMessage(), e);
            }
        }
    }

    /**
     * Streams, in id order, every latest document version of a source that changed after {@code since}
     * (new itself, or with a new extraction or output): its latest extraction's chunks (their text cut
     * from the extraction) and its final outputs. The search index is built only from this, so it can
     * always be rebuilt or caught up from the database.
     */
    public void searchRecords(Mark since, Consumer<SearchRecord> sink) {
        synchronized (store) {
            Connection c = store.connection();
            try {
                List<DocumentInfo> documents = Jdbc.list(c, "SELECT " + DOCUMENT_COLUMNS + """
                         FROM documents d JOIN sources s ON s.id = d.source_id
                        WHERE (d.id > ? OR EXISTS (SELECT 1 FROM extractions e WHERE e.document_id = d.id AND e.id > ?)
                                       OR EXISTS (SELECT 1 FROM outputs o WHERE o.document_id = d.id AND o.id > ?))
                          AND d.id = (SELECT MAX(d2.id) FROM documents d2 WHERE d2.source_id = d.source_id)
                        ORDER BY d.id""", Reports::documentInfo, since.document(), since.extraction(), since.output());
                for (DocumentInfo d : documents) {
                    record Latest(long id, String content) {
                    }
                    Optional<Latest> extraction = Jdbc.first(c, "SELECT id, content FROM extractions WHERE document_id = ? ORDER BY id DESC",
                            rs -> new Latest(rs.getLong(1), rs.getString(2)), d.id());
                    List<SearchRecord.Passage> chunks = new ArrayList<>();
                    if (extraction.isPresent() && extraction.get().content() != null) {
                        String text = extraction.get().content();
                        for (ChunkSpan span : Jdbc.list(c, "SELECT extraction_id, seq, char_start, char_end, token_count, tokenizer FROM chunks "
                                + "WHERE extraction_id = ? ORDER BY seq", rs -> new ChunkSpan(rs.getLong(1), rs.getInt(2), rs.getInt(3),
                                rs.getInt(4), rs.getInt(5), rs.getString(6)), extraction.get().id())) {
                            if (span.charEnd() > text.length() || span.charEnd() <= span.charStart()) continue;
                            chunks.add(new SearchRecord.Passage(span.seq(), span.seq(), span.charStart(), span.charEnd(), null,
                                    text.substring(span.charStart(), span.charEnd())));
                        }
                    }
                    List<SearchRecord.Passage> outputs = Jdbc.list(c,
                            "SELECT id, task, content FROM outputs WHERE document_id = ? AND is_final ORDER BY id",
                            rs -> new SearchRecord.Passage(rs.getLong(1), 0, 0, 0, rs.getString(2), rs.getString(3)), d.id());
                    sink.accept(new SearchRecord(d, extraction.map(Latest::id).orElse(0L), chunks, outputs));
                }
            } catch (SQLException e) {
                throw new StoreException("cannot read documents to index: " + e.getMessage(), e);
            }
        }
    }

    /** Streams every output (final ones only unless {@code allLevels}) with its provenance, oldest first. */
    public void export(boolean allLevels, Consumer<ExportRecord> sink) {
        synchronized (store) {
            Connection c = store.connection();
            String sql = "SELECT " + OUTPUT_COLUMNS + ", " + DOCUMENT_COLUMNS + """

                    FROM outputs o JOIN documents d ON d.id = o.document_id JOIN sources s ON s.id = d.source_id
                    """ + (allLevels ? "" : "WHERE o.is_final ") + "ORDER BY o.id";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setFetchSize(200);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) sink.accept(exportRecord(c, rs));
                }
            } catch (SQLException e) {
                throw new StoreException("cannot export: " + e.getMessage(), e);
            }
        }
    }

    private static ExportRecord exportRecord(Connection c, ResultSet rs) throws SQLException {
        Provenance provenance = provenance(rs);
        List<ChunkSpan> spans = new ArrayList<>();
        for (long chunkId : chunkIdsUnder(c, provenance.outputId())) spans.add(chunkSpan(c, chunkId));
        long extractionId = spans.isEmpty() ? 0 : spans.get(spans.size() - 1).extractionId();
        String[] ex = Jdbc.first(c, "SELECT parser, tika_version FROM extractions WHERE id = ?",
                r -> new String[] {r.getString(1), r.getString(2)}, extractionId).orElse(new String[2]);
        return new ExportRecord(documentInfo(rs), extractionId, ex[0], ex[1], spans, provenance, rs.getString("content"),
                grounding(c, provenance.outputId(), rs.getString("content"), true));
    }
}
