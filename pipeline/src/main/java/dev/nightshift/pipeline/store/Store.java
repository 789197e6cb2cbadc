package dev.nightshift.pipeline.store;

import dev.nightshift.pipeline.core.DocumentResult;
import dev.nightshift.pipeline.core.Chunk;
import dev.nightshift.pipeline.core.ExtractionStatus;
import dev.nightshift.pipeline.core.Hashing;
import dev.nightshift.pipeline.core.Task;
import dev.nightshift.pipeline.core.InputHash;
import dev.nightshift.pipeline.core.InputRef;
import dev.nightshift.pipeline.core.Passage;
import dev.nightshift.pipeline.core.OutputDraft;
import dev.nightshift.pipeline.core.OutputOrigin;
import dev.nightshift.pipeline.core.Evidence;
import dev.nightshift.pipeline.core.Grounding;
import dev.nightshift.pipeline.core.SentenceCheck;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.h2.jdbcx.JdbcDataSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The embedded H2 database: the only place results live. One process at a time (see
 * {@link DatabaseLock}); inside the process one connection, used under this object's monitor, since
 * H2 serializes writes anyway and the pipeline writes one finished document at a time.
 */
public final class Store implements AutoCloseable, PriorWorkLookup {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Store.class);
    /**
     * The newest migration in sql/ (a test keeps the two in step). A database already at this version
     * opens without starting Flyway, which costs about a second of every command's start-up.
     */
    static final String SCHEMA_VERSION = "5";
    private final Path base;
    private final DatabaseLock lock;
    private final Connection connection;
    private final Clock clock;

    private Store(Path base, DatabaseLock lock, Connection connection, Clock clock) {
        this.base = base;
        this.lock = lock;
        this.connection = connection;
        this.clock = clock;
    }

    /**
     * Opens (creating if needed) the database at {@code location}, takes the process lock and applies
     * pending migrations.
     *
     * @param location the database file ({@code x.mv.db}) or its base name ({@code x})
     * @throws StoreLockedException when another nightshift has it open
     */
    public static Store open(Path location, Clock clock) {
        Path base = baseOf(location);
        Path parent = base.toAbsolutePath().getParent();
        try {
            Files.createDirectories(parent);
        } catch (IOException e) {
            throw new StoreException("cannot create the database folder " + parent + " (" + dev.nightshift.pipeline.core.IoReasons.of(e) + ")", e);
        }
        DatabaseLock lock = DatabaseLock.acquire(Path.of(base + ".lock"), base + ".mv.db");
        try {
            // FILE_LOCK stays on (H2's own guard); a writer killed mid-transaction is rolled back by H2's log.
            JdbcDataSource ds = dataSource(base, "");
            Connection connection = prepared(ds, c -> {
                if (!SCHEMA_VERSION.equals(schemaVersion(c))) migrate(ds, base);
                c.setAutoCommit(true);
            });
            return new Store(base, lock, connection, clock);
        } catch (SQLException e) {
            lock.close();
            throw new StoreException(describe(e, base), e);
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    /**
     * Opens a copy of the database for reading while a run holds it: the file is copied to
     * {@code scratch} and the copy opened there, so the run is neither blocked nor slowed (one file copy)
     * and the reader sees what the run had committed when the copy was taken. H2's store writes each
     * commit as a new chunk and finds the newest complete one when it opens, so a copy taken during a
     * write opens at the commit before. The copy is deleted on close. Nothing is ever written to it.
     *
     * @throws StoreException when the copy cannot be made or opened
     */
    public static Store openSnapshot(Path location, Path scratch, Clock clock) {
        Path base = baseOf(location);
        Path copyBase;
        try {
            Files.createDirectories(scratch);
            sweepSnapshots(scratch);
            // The owner's process id in the name: a copy whose process is gone can be told and deleted.
            copyBase = Files.createTempDirectory(scratch, SNAPSHOT + ProcessHandle.current().pid() + "-").resolve("nightshift");
            LIVE_SNAPSHOTS.add(copyBase);
            Files.copy(Path.of(base + ".mv.db"), Path.of(copyBase + ".mv.db"));
        } catch (IOException e) {
            throw new StoreException("cannot copy " + base + ".mv.db to read it while a run uses it: " + e.getMessage(), e);
        }
        try {
            Connection connection = prepared(dataSource(copyBase, ""), c -> {
                if (!SCHEMA_VERSION.equals(schemaVersion(c))) {
                    throw new StoreException("the database " + base + ".mv.db is being created or upgraded by the run; try again in a moment");
                }
                c.setAutoCommit(true);
            });
            return new Store(copyBase, null, connection, clock);
        } catch (SQLException e) {
            deleteCopy(copyBase);
            throw new StoreException(describe(e, base), e);
        } catch (RuntimeException e) {
            deleteCopy(copyBase);
            throw e;
        }
    }

    /**
     * Opens an existing database for reading only, writing nothing (no migration, no run bookkeeping): H2's
     * read-only mode while no run holds it, else a copy ({@link #openSnapshot}). For a server that answers
     * many questions over a night, it is opened per question and closed right after, so a run can start.
     *
     * @throws StoreException when the file is missing, or at another schema version than this nightshift's
     */
    public static Store openReadOnly(Path location, Path scratch, Clock clock) {
        Path base = baseOf(location);
        if (!Files.isRegularFile(Path.of(base + ".mv.db"))) throw new StoreException("no database at " + base + ".mv.db");
        DatabaseLock lock;
        try {
            lock = DatabaseLock.acquire(Path.of(base + ".lock"), base + ".mv.db");
        } catch (StoreLockedException e) {
            return openSnapshot(location, scratch, clock);
        }
        try {
            Connection connection = prepared(dataSource(base, ";ACCESS_MODE_DATA=r;IFEXISTS=TRUE"), c -> {
                String version = schemaVersion(c);
                if (!SCHEMA_VERSION.equals(version)) {
                    throw new StoreException("the database " + base + ".mv.db is at schema " + version + ", this nightshift reads schema "
                            + SCHEMA_VERSION + ": open it once with a command that may upgrade it (nightshift status)");
                }
            });
            return new Store(base, lock, connection, clock);
        } catch (SQLException e) {
            lock.close();
            throw new StoreException(describe(e, base), e);
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    /** What is done to a new connection before a {@link Store} owns it: check the schema, migrate. */
    @FunctionalInterface
    private interface Preparation {
        void apply(Connection connection) throws SQLException;
    }

    /**
     * A new connection with {@code preparation} applied, closed again when preparing throws: H2 keeps an
     * embedded database open while any connection to it is (DB_CLOSE_ON_EXIT=FALSE), so a failed migration
     * that left its connection behind would hold the file for the rest of the process.
     */
    private static Connection prepared(JdbcDataSource ds, Preparation preparation) throws SQLException {
        Connection connection = ds.getConnection();
        try {
            preparation.apply(connection);
            return connection;
        } catch (SQLException | RuntimeException e) {
            try {
                connection.close();
            } catch (SQLException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    /** The database file at {@code base} (without .mv.db), with H2 options such as {@code ;ACCESS_MODE_DATA=r}. */
    private static JdbcDataSource dataSource(Path base, String options) {
        JdbcDataSource ds = new JdbcDataSource();
        // TRACE_LEVEL_FILE=0: no x.trace.db beside the database. H2 writes its errors there as well as
        // throwing them, and every new database would leave one (Flyway asks for a table before making it);
        // every error reaches nightshift as an SQLException, which is reported and logged.
        ds.setURL("jdbc:h2:file:" + base.toAbsolutePath() + options + ";DB_CLOSE_ON_EXIT=FALSE;TRACE_LEVEL_FILE=0");
        ds.setUser("nightshift");
        ds.setPassword("");
        return ds;
    }

    /** Work done whole or not at all: committed when it returns, rolled back when it throws. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    synchronized <T> T inTransaction(Work<T> work) throws SQLException {
        connection.setAutoCommit(false);
        try {
            T result = work.run(connection);
            connection.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
    }

    private static void deleteCopy(Path copyBase) {
        LIVE_SNAPSHOTS.remove(copyBase);
        deleteFolder(copyBase.getParent());
    }

    private static void deleteFolder(Path folder) {
        try (var files = Files.list(folder)) {
            for (Path f : files.toList()) Files.deleteIfExists(f);
            Files.deleteIfExists(folder);
        } catch (IOException e) {
            log.debug("cannot delete the snapshot {}", folder, e);
        }
    }

    private static final String SNAPSHOT = "snapshot-";
    /** Copies open in this process: deleted when it exits, however it exits short of a kill. */
    private static final java.util.Set<Path> LIVE_SNAPSHOTS = java.util.concurrent.ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> List.copyOf(LIVE_SNAPSHOTS).forEach(Store::deleteCopy), "snapshot-cleanup"));
    }

    /**
     * Deletes copies left in {@code scratch} by processes that are gone (killed, or stopped before they
     * could clean up): a server answering questions all night made one per question while a run held the
     * database, 374 MB each. Copies of live processes are left alone; copies named before process ids
     * were recorded are deleted once a day old.
     */
    public static void sweepSnapshots(Path scratch) {
        try (var entries = Files.list(scratch)) {
            for (Path d : entries.toList()) {
                String name = d.getFileName().toString();
                if (!name.startsWith("snapshot") || !Files.isDirectory(d)) continue;
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("snapshot-(\\d+)-.*").matcher(name);
                boolean stale = m.matches()
                        ? ProcessHandle.of(Long.parseLong(m.group(1))).map(p -> !p.isAlive()).orElse(true)
                        : Files.getLastModifiedTime(d).toInstant().isBefore(java.time.Instant.now().minus(java.time.Duration.ofDays(1)));
                if (stale) deleteFolder(d);
            }
        } catch (IOException | RuntimeException e) {
            log.debug("cannot sweep old snapshots in {}", scratch, e);
        }
    }

    /** The latest successfully applied migration, or null for a new database. */
    private static String schemaVersion(Connection c) {
        try {
            return Jdbc.first(c, "SELECT \"version\" FROM \"flyway_schema_history\" WHERE \"success\" "
                    + "ORDER BY \"installed_rank\" DESC", rs -> rs.getString(1)).orElse(null);
        } catch (SQLException e) {
            return null; // no history table yet
        }
    }

    private static void migrate(JdbcDataSource ds, Path base) {
        try {
            Flyway.configure()
                    .dataSource(ds)
                    .locations("classpath:db/migration")
                    .loggers("slf4j")
                    .load()
                    .migrate();
        } catch (FlywayException e) {
            Throwable root = e;
            while (root.getCause() != null) root = root.getCause();
            String detail = root instanceof SQLException sql ? describe(sql, base) : root.getMessage();
            throw new StoreException("cannot prepare the database " + base + ".mv.db: " + detail, e);
        }
    }

    private static String describe(SQLException e, Path base) {
        if (e.getErrorCode() == 90020) { // DATABASE_ALREADY_OPEN_1
            return "the database " + base + ".mv.db is open in another program; close it and try again";
        }
        if (e.getErrorCode() == 90030 || e.getErrorCode() == 90048) { // FILE_CORRUPTED_1, FILE_VERSION_ERROR_1
            return "the database " + base + ".mv.db is damaged or not a nightshift database: " + e.getMessage();
        }
        return "database error on " + base + ".mv.db: " + e.getMessage();
    }

    /** {@code results.mv.db} and {@code results} both name the database {@code results}. */
    public static Path baseOf(Path location) {
        String name = location.getFileName().toString();
        if (name.endsWith(".mv.db")) {
            return location.resolveSibling(name.substring(0, name.length() - ".mv.db".length()));
        }
        return location;
    }

    public Path file() {
        return Path.of(base + ".mv.db");
    }

    Connection connection() {
        return connection;
    }

    /**
     * True when this process holds the database's lock (not a copy read while a run holds it): then no
     * run can be going elsewhere, and a run recorded as running was left so by a killed process.
     */
    boolean holdsLock() {
        return lock != null;
    }

    // ---- runs ----------------------------------------------------------------------------------

    public synchronized long startRun(String command, String arguments, String toolVersion) {
        try {
            // Only one process can hold the lock, so any run still 'running' was killed.
            Jdbc.update(connection, "UPDATE runs SET status = ?, ended_at = COALESCE(ended_at, ?) WHERE status = ?",
                    RunStatus.ABANDONED.dbValue(), clock.instant(), RunStatus.RUNNING.dbValue());
            // Run numbers are what users read: numbered here, one after the other, rather than by H2's
            // identity sequence, which caches values and jumps by 32 after a kill -9. One process at a
            // time holds the database (DatabaseLock), so MAX + 1 cannot race.
            long id = Jdbc.first(connection, "SELECT COALESCE(MAX(id), 0) + 1 FROM runs", rs -> rs.getLong(1)).orElse(1L);
            Jdbc.update(connection,
                    "INSERT INTO runs(id, command, arguments, tool_version, started_at, status) VALUES (?, ?, ?, ?, ?, ?)",
                    id, command, truncate(arguments, 8192), toolVersion, clock.instant(), RunStatus.RUNNING.dbValue());
            return id;
        } catch (SQLException e) {
            throw new StoreException("cannot record the run: " + e.getMessage(), e);
        }
    }

    public synchronized void finishRun(long runId, RunStatus status, String summary) {
        finishRun(runId, status, summary, 0);
    }

    /** @param skipped documents the run found unchanged and did not read again (one count, not a row each) */
    public synchronized void finishRun(long runId, RunStatus status, String summary, long skipped) {
        try {
            Jdbc.update(connection, "UPDATE runs SET status = ?, ended_at = ?, summary = ?, skipped = ? WHERE id = ?",
                    status.dbValue(), clock.instant(), summary, skipped, runId);
        } catch (SQLException e) {
            throw new StoreException("cannot finish run " + runId + ": " + e.getMessage(), e);
        }
    }

    // ---- what earlier runs did -----------------------------------------------------------------

    /** The latest stored version of a source: its SHA-256, size and modification time. */
    public record KnownVersion(String sha256, long sizeBytes, Instant modifiedAt) {
    }

    public synchronized Optional<KnownVersion> latestVersion(String locator) {
        try {
            return Jdbc.first(connection, """
                    SELECT d.sha256, d.size_bytes, d.modified_at FROM documents d JOIN sources s ON s.id = d.source_id
                    WHERE s.locator_hash = ? ORDER BY d.id DESC""",
                    rs -> new KnownVersion(rs.getString(1), rs.getLong(2), Jdbc.instant(rs, "modified_at")),
                    Hashing.sha256(locator));
        } catch (SQLException e) {
            throw new StoreException("cannot read documents: " + e.getMessage(), e);
        }
    }

    /**
     * What earlier runs did for one version of a source under a task. For a container (an archive, a
     * mailbox, a mail with attachments) it also tells whether every document found inside it is
     * settled under the same task: its own bytes being unchanged says nothing about a task its entries
     * have never seen.
     */
    public synchronized PriorWork priorWork(String locator, String sha256, String taskKey, String extractor, int maxAttempts) {
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
    private static final String RETRYABLE_FAILURES = java.util.Arrays.stream(ExtractionStatus.values())
            .filter(s -> !s.usable() && s.retryable())
            .map(s -> "'" + s.name() + "'")
            .collect(java.util.stream.Collectors.joining(", "));

    /** The statuses of failed extractions that the same bytes would only repeat, as an SQL list. */
    private static final String SETTLED_FAILURES = java.util.Arrays.stream(ExtractionStatus.values())
            .filter(s -> !s.usable() && !s.retryable())
            .map(s -> "'" + s.name() + "'")
            .collect(java.util.stream.Collectors.joining(", "));

    private boolean completed(long documentId, String taskKey) throws SQLException {
        return Jdbc.count(connection,
                "SELECT COUNT(*) FROM outputs WHERE document_id = ? AND task_key = ? AND is_final", documentId, taskKey) > 0;
    }

    // ---- writing a document's results ----------------------------------------------------------

    /** Writes a document's extraction, chunks, outputs and lineage in one transaction. */
    public void save(long runId, DocumentResult result) {
        saveAll(runId, List.of(result));
    }

    /**
     * Writes a source file's document and the documents found inside it (the rest of the list, whose
     * sources get the first as parent) in one transaction: after a crash all of it is stored, or none.
     */
    public synchronized void saveAll(long runId, List<DocumentResult> results) {
        if (results.isEmpty()) return;
        DocumentResult first = results.get(0);
        try {
            inTransaction(c -> {
                Long parentId = null;
                Long containerId = null;
                for (DocumentResult result : results) {
                    long sourceId = ensureSource(runId, result.document().source().locator(), parentId);
                    if (parentId == null) parentId = sourceId;
                    long documentId = ensureDocument(runId, sourceId, result);
                    if (containerId == null) {
                        containerId = documentId;
                    } else {
                        Jdbc.update(connection, "MERGE INTO document_entries(container_id, entry_id) KEY(container_id, entry_id) VALUES (?, ?)",
                                containerId, documentId);
                    }
                    if (result.unchanged()) continue; // done under this task before: only its place is recorded
                    long extractionId = insertExtraction(runId, documentId, result);
                    List<Long> chunkIds = insertChunks(extractionId, result);
                    List<Long> outputIds = insertOutputs(runId, documentId, chunkIds, result);
                    var status = result.extraction().status();
                    EventKind kind = status.read() ? (outputIds.isEmpty() ? EventKind.EXTRACTED : EventKind.SUMMARIZED) : EventKind.FAILED;
                    String detail = status.usable()
                            ? result.chunks().size() + " chunks, " + outputIds.size() + " outputs"
                            : status + ": " + result.extraction().error();
                    insertEvent(runId, sourceId, documentId, kind, detail);
                }
                return null;
            });
        } catch (SQLException e) {
            throw new StoreException("cannot store " + first.document().source().locator() + ": " + e.getMessage(), e);
        }
    }

    /** Records something that happened to a source (skipped, failed before extraction, ...). */
    public synchronized void event(long runId, String locator, EventKind kind, String detail) {
        try {
            Long sourceId = locator == null ? null : Jdbc.first(connection, "SELECT id FROM sources WHERE locator_hash = ?",
                    rs -> rs.getLong(1), Hashing.sha256(locator)).orElse(null);
            insertEvent(runId, sourceId, null, kind, locator == null || sourceId != null ? detail : locator + ": " + detail);
        } catch (SQLException e) {
            throw new StoreException("cannot record an event: " + e.getMessage(), e);
        }
    }

    private long ensureSource(long runId, String locator, Long parentId) throws SQLException {
        String hash = Hashing.sha256(locator);
        Optional<Long> id = Jdbc.first(connection, "SELECT id FROM sources WHERE locator_hash = ?", rs -> rs.getLong(1), hash);
        if (id.isPresent()) return id.get();
        return Jdbc.insert(connection, "INSERT INTO sources(locator, locator_hash, parent_id, first_run_id) VALUES (?, ?, ?, ?)",
                truncate(locator, 4096), hash, parentId, runId);
    }

    private long ensureDocument(long runId, long sourceId, DocumentResult r) throws SQLException {
        Optional<Long> id = Jdbc.first(connection, "SELECT id FROM documents WHERE source_id = ? AND sha256 = ?",
                rs -> rs.getLong(1), sourceId, r.document().sha256());
        if (id.isPresent()) {
            Jdbc.update(connection, "UPDATE documents SET modified_at = ?, media_type = COALESCE(?, media_type), "
                            + "language = COALESCE(?, language) WHERE id = ?",
                    r.document().source().modifiedAt(), r.extraction().mediaType(), r.extraction().language(), id.get());
            return id.get();
        }
        return Jdbc.insert(connection, """
                INSERT INTO documents(source_id, sha256, size_bytes, modified_at, media_type, language, first_run_id)
                VALUES (?, ?, ?, ?, ?, ?, ?)""",
                sourceId, r.document().sha256(), r.document().sizeBytes(), r.document().source().modifiedAt(),
                r.extraction().mediaType(), r.extraction().language(), runId);
    }

    private long insertExtraction(long runId, long documentId, DocumentResult r) throws SQLException {
        var e = r.extraction();
        return Jdbc.insert(connection, """
                INSERT INTO extractions(document_id, run_id, status, extractor, parser, tika_version, media_type,
                                        char_count, duration_ms, error, content, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                documentId, runId, e.status().name(), e.extractor(), truncate(e.parser(), 1024), e.tikaVersion(),
                truncate(e.mediaType(), 255), (long) e.text().length(), e.durationMs(), truncate(e.error(), 4096),
                keepsText(e.status()) ? e.text() : null, clock.instant());
    }

    /** Usable text, and text judged NOT_TEXT: a verdict can be wrong, and {@code show --full} lets a person see. */
    private static boolean keepsText(ExtractionStatus status) {
        return status.usable() || status == ExtractionStatus.NOT_TEXT;
    }

    private List<Long> insertChunks(long extractionId, DocumentResult r) throws SQLException {
        List<Long> ids = new ArrayList<>();
        for (Chunk c : r.chunks()) {
            ids.add(Jdbc.insert(connection, """
                    INSERT INTO chunks(extraction_id, seq, char_start, char_end, token_count, tokenizer)
                    VALUES (?, ?, ?, ?, ?, ?)""",
                    extractionId, c.seq(), c.charStart(), c.charEnd(), c.tokenCount(), r.tokenizer()));
        }
        return ids;
    }

    private List<Long> insertOutputs(long runId, long documentId, List<Long> chunkIds, DocumentResult r) throws SQLException {
        List<Long> ids = new ArrayList<>();
        var task = r.task();
        for (int n = 0; n < r.outputs().size(); n++) {
            OutputDraft o = r.outputs().get(n);
            long id = insertOutput(connection, runId, task, new OutputRow(documentId, o.level(), o.isFinal(), o.text(),
                    inputHash(o, r, connection), o.origin(), o.promptTokens(), o.generatedTokens(), o.durationMs(), null));
            int ord = 0;
            for (InputRef in : o.inputs()) {
                long inputId = switch (in.kind()) {
                    case CHUNK -> chunkIds.get(in.index());
                    case OUTPUT -> ids.get(in.index());
                    case STORED -> in.index();
                };
                Jdbc.update(connection, "INSERT INTO lineage(output_id, input_kind, input_id, ord) VALUES (?, ?, ?, ?)",
                        id, in.kind() == InputRef.Kind.CHUNK ? "chunk" : "output", inputId, ord++);
            }
            Grounding g = r.groundings().get(n);
            if (g != null) insertGrounding(id, g);
            ids.add(id);
        }
        return ids;
    }

    /** One row of {@code outputs}, whatever made it: a document's output (level, final) or an answer (a question, no document). */
    private record OutputRow(Long documentId, int level, boolean isFinal, String text, String inputHash, OutputOrigin origin,
                             int promptTokens, int generatedTokens, long durationMs, String question) {
    }

    /** The one place the output columns are written. */
    private long insertOutput(Connection c, long runId, Task task, OutputRow o) throws SQLException {
        return Jdbc.insert(c, """
                INSERT INTO outputs(run_id, document_id, task, task_key, method, model, model_digest, prompt_name,
                                    prompt_version, prompt_hash, parameters, level, is_final, content, input_hash,
                                    finish_reason, prompt_tokens, generated_tokens, duration_ms, created_at, question)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                runId, o.documentId(), task.name(), task.key(), task.method(), task.model(), task.modelDigest(),
                task.promptName(), task.promptVersion(), task.promptHash(), task.parametersText(), o.level(),
                o.isFinal(), o.text(), o.inputHash(), o.origin().dbValue(), o.promptTokens(),
                o.generatedTokens(), o.durationMs(), clock.instant(), o.question());
    }

    private void insertGrounding(long outputId, Grounding g) throws SQLException {
        int seq = 0;
        for (SentenceCheck sc : g.sentences()) {
            List<long[]> spans = new ArrayList<>();
            for (Evidence e : sc.evidence()) spans.add(e.chunkId() == 0 ? new long[] {e.start(), e.end()} : new long[] {e.start(), e.end(), e.chunkId()});
            Jdbc.update(connection, """
                    INSERT INTO groundings(output_id, seq, checker, sentence_start, sentence_end, supported, score, evidence, flags)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                    outputId, seq++, g.checker(), sc.start(), sc.end(), sc.supported(), sc.score(),
                    GroundingJson.spans(spans), GroundingJson.flags(sc.flags()));
        }
    }

    /**
     * Stores an answer: an output of no single document, with the question, lineage to the chunks it was
     * given (in source order [1], [2], ...) and its check. Returns the output's id.
     */
    public synchronized long saveAnswer(long runId, Task task, QuestionOutput a) {
        try {
            return inTransaction(c -> {
                String inputHash = Hashing.sha256(a.question() + "\n" + a.sources().stream().map(p -> p.chunkId() + ":" + p.start() + "-" + p.end())
                        .reduce("", (x, y) -> x + " " + y));
                long id = insertOutput(c, runId, task, new OutputRow(null, 0, true, a.text(), inputHash, a.origin(),
                        a.promptTokens(), a.generatedTokens(), a.durationMs(), a.question()));
                int ord = 0;
                for (Passage p : a.sources()) {
                    Jdbc.update(c, "INSERT INTO lineage(output_id, input_kind, input_id, ord) VALUES (?, 'chunk', ?, ?)", id, p.chunkId(), ord++);
                }
                if (a.grounding() != null) insertGrounding(id, a.grounding());
                return id;
            });
        } catch (SQLException e) {
            throw new StoreException("cannot store the answer: " + e.getMessage(), e);
        }
    }

    /** Identity of an output's input text, so identical input under the same task key can be found again. */
    private static String inputHash(OutputDraft o, DocumentResult r, Connection c) throws SQLException {
        // A copy has the input of its original: the result cache finds the same text either way.
        if (o.inputs().get(0).kind() == InputRef.Kind.STORED) {
            return Jdbc.first(c, "SELECT input_hash FROM outputs WHERE id = ?", rs -> rs.getString(1), (long) o.inputs().get(0).index())
                    .orElseThrow(() -> new SQLException("no output " + o.inputs().get(0).index() + " to copy"));
        }
        boolean chunks = o.inputs().get(0).kind() == InputRef.Kind.CHUNK;
        List<String> texts = o.inputs().stream()
                .map(in -> in.kind() == InputRef.Kind.CHUNK ? r.chunks().get(in.index()).text() : r.outputs().get(in.index()).text())
                .toList();
        return chunks ? InputHash.ofChunks(texts) : InputHash.ofOutputs(texts);
    }

    /** A final output that can be copied: its id, and the locator of the document it was made for. */
    public record Reusable(long outputId, String text, String locator) {
    }

    /**
     * The first final output made under {@code taskKey} for a document with these bytes, read by this
     * extractor: what a document with the same bytes would get again.
     */
    public synchronized Optional<Reusable> reusableOutput(String sha256, String taskKey, String extractor) {
        try {
            return Jdbc.first(connection, """
                    SELECT o.id, o.content, s.locator FROM outputs o
                    JOIN documents d ON d.id = o.document_id JOIN sources s ON s.id = d.source_id
                    WHERE d.sha256 = ? AND o.task_key = ? AND o.is_final AND o.finish_reason <> 'reused'
                      AND EXISTS (SELECT 1 FROM extractions e WHERE e.document_id = d.id AND e.extractor = ?)
                    ORDER BY o.id""",
                    rs -> new Reusable(rs.getLong(1), rs.getString(2), rs.getString(3)), sha256, taskKey, extractor);
        } catch (SQLException e) {
            throw new StoreException("cannot look for identical documents: " + e.getMessage(), e);
        }
    }

    /** The text of an earlier output with the same task key and input, if any (the result cache). */
    public synchronized Optional<String> cachedOutput(String taskKey, String inputHash) {
        try {
            return Jdbc.first(connection, "SELECT content FROM outputs WHERE task_key = ? AND input_hash = ? ORDER BY id",
                    rs -> rs.getString(1), taskKey, inputHash);
        } catch (SQLException e) {
            throw new StoreException("cannot read the result cache: " + e.getMessage(), e);
        }
    }

    private void insertEvent(long runId, Long sourceId, Long documentId, EventKind kind, String detail) throws SQLException {
        Jdbc.update(connection, "INSERT INTO events(run_id, source_id, document_id, kind, detail, at) VALUES (?, ?, ?, ?, ?, ?)",
                runId, sourceId, documentId, kind.dbValue(), truncate(detail, 4096), clock.instant());
    }

    static String truncate(String s, int max) {
        if (s == null || s.length() <= max) return s;
        return s.substring(0, max - 1) + "…";
    }

    /** Set after a run has written: {@link #close} then rewrites the file without its free space. */
    private volatile boolean compactOnClose;

    /**
     * Asks {@link #close} to compact the file. H2 writes each transaction to new pages and frees the old
     * ones without giving the space back: a run of 5,000 small notes left a 56.6 MB file whose data
     * takes 4.9 MB. Compacting at the end of a run rewrites it whole (under a second for that file).
     */
    public void compactOnClose() {
        compactOnClose = true;
    }

    @Override
    public synchronized void close() {
        try {
            if (compactOnClose && lock != null) {
                try (var statement = connection.createStatement()) {
                    long before = Files.size(file());
                    long started = System.nanoTime();
                    statement.execute("SHUTDOWN COMPACT");
                    log.info("compacted {}: {} -> {} bytes in {} ms", file(), before, Files.size(file()), (System.nanoTime() - started) / 1_000_000);
                } catch (SQLException | IOException e) {
                    // Everything is committed already: an uncompacted file is only larger (a full disk stops this too).
                    log.warn("cannot compact {}: {}", file(), e.toString());
                }
            }
            connection.close();
        } catch (SQLException e) {
            throw new StoreException("cannot close the database: " + e.getMessage(), e);
        } finally {
            if (lock != null) lock.close();
            else deleteCopy(base);
        }
    }
}
