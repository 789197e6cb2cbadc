package dev.nightshift.pipeline.store;

import dev.nightshift.pipeline.core.DocumentResult;
import dev.nightshift.pipeline.core.Hashing;
import dev.nightshift.pipeline.core.Task;
import dev.nightshift.pipeline.core.Passage;
import org.h2.jdbcx.JdbcDataSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
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
    static final String SCHEMA_VERSION = "7";
    private final Path base;
    private final DatabaseLock lock;
    private final Connection connection;
    private final Clock clock;
    private final ResultRows rows;

    private Store(Path base, DatabaseLock lock, Connection connection, Clock clock) {
        this.base = base;
        this.lock = lock;
        this.connection = connection;
        this.clock = clock;
        this.rows = new ResultRows(connection, clock);
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
        // FILE_LOCK stays on (H2's own guard); a writer killed mid-transaction is rolled back by H2's log.
        JdbcDataSource ds = StoreFiles.dataSource(base, "");
        return holding(lock, base, ds, c -> {
            if (!SCHEMA_VERSION.equals(StoreFiles.schemaVersion(c))) StoreFiles.migrate(ds, base);
            c.setAutoCommit(true);
        }, clock);
    }

    /** A store on {@code base} that holds {@code lock}; the lock is given back when the connection cannot be prepared. */
    private static Store holding(DatabaseLock lock, Path base, JdbcDataSource ds, StoreFiles.Preparation preparation, Clock clock) {
        try {
            return new Store(base, lock, StoreFiles.prepared(ds, preparation), clock);
        } catch (SQLException e) {
            lock.close();
            throw new StoreException(StoreFiles.describe(e, base), e);
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
            copyBase = Files.createTempDirectory(scratch, StoreFiles.SNAPSHOT + ProcessHandle.current().pid() + "-").resolve("nightshift");
            StoreFiles.LIVE_SNAPSHOTS.add(copyBase);
            Files.copy(Path.of(base + ".mv.db"), Path.of(copyBase + ".mv.db"));
        } catch (IOException e) {
            throw new StoreException("cannot copy " + base + ".mv.db to read it while a run uses it: " + e.getMessage(), e);
        }
        try {
            Connection connection = StoreFiles.prepared(StoreFiles.dataSource(copyBase, ""), c -> {
                if (!SCHEMA_VERSION.equals(StoreFiles.schemaVersion(c))) {
                    throw new StoreException("the database " + base + ".mv.db is being created or upgraded by the run; try again in a moment");
                }
                c.setAutoCommit(true);
            });
            return new Store(copyBase, null, connection, clock);
        } catch (SQLException e) {
            StoreFiles.deleteCopy(copyBase);
            throw new StoreException(StoreFiles.describe(e, base), e);
        } catch (RuntimeException e) {
            StoreFiles.deleteCopy(copyBase);
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
        return holding(lock, base, StoreFiles.dataSource(base, ";ACCESS_MODE_DATA=r;IFEXISTS=TRUE"), c -> {
            String version = StoreFiles.schemaVersion(c);
            if (!SCHEMA_VERSION.equals(version)) {
                throw new StoreException("the database " + base + ".mv.db is at schema " + version + ", this nightshift reads schema "
                        + SCHEMA_VERSION + ": open it once with a command that may upgrade it (nightshift status)");
            }
        }, clock);
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
                    id, command, ResultRows.truncate(arguments, 8192), toolVersion, clock.instant(), RunStatus.RUNNING.dbValue());
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
        return new PriorWorkQueries(connection).priorWork(locator, sha256, taskKey, extractor, maxAttempts);
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
                    long sourceId = rows.ensureSource(runId, result.document().source().locator(), parentId);
                    if (parentId == null) parentId = sourceId;
                    long documentId = rows.ensureDocument(runId, sourceId, result);
                    if (containerId == null) {
                        containerId = documentId;
                    } else {
                        Jdbc.update(connection, "MERGE INTO document_entries(container_id, entry_id) KEY(container_id, entry_id) VALUES (?, ?)",
                                containerId, documentId);
                    }
                    if (result.unchanged()) continue; // done under this task before: only its place is recorded
                    long extractionId = rows.insertExtraction(runId, documentId, result);
                    List<Long> chunkIds = rows.insertChunks(extractionId, result);
                    List<Long> outputIds = rows.insertOutputs(runId, documentId, chunkIds, result);
                    var status = result.extraction().status();
                    EventKind kind = status.read() ? (outputIds.isEmpty() ? EventKind.EXTRACTED : EventKind.SUMMARIZED) : EventKind.FAILED;
                    String detail = status.usable()
                            ? result.chunks().size() + " chunks, " + outputIds.size() + " outputs"
                            : status + ": " + result.extraction().error();
                    rows.insertEvent(runId, sourceId, documentId, kind, detail);
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
            rows.insertEvent(runId, sourceId, null, kind, locator == null || sourceId != null ? detail : locator + ": " + detail);
        } catch (SQLException e) {
            throw new StoreException("cannot record an event: " + e.getMessage(), e);
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
                long id = rows.insertOutput(c, runId, task, new ResultRows.OutputRow(null, 0, true, a.text(), inputHash, a.origin(),
                        a.promptTokens(), a.generatedTokens(), a.durationMs(), a.question()));
                int ord = 0;
                for (Passage p : a.sources()) {
                    Jdbc.update(c, "INSERT INTO lineage(output_id, input_kind, input_id, ord) VALUES (?, 'chunk', ?, ?)", id, p.chunkId(), ord++);
                }
                if (a.grounding() != null) rows.insertGrounding(id, a.grounding());
                return id;
            });
        } catch (SQLException e) {
            throw new StoreException("cannot store the answer: " + e.getMessage(), e);
        }
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
            else StoreFiles.deleteCopy(base);
        }
    }

    /**
     * Deletes copies left in {@code scratch} by processes that are gone (killed, or stopped before they
     * could clean up); copies of live processes are left alone.
     */
    public static void sweepSnapshots(Path scratch) {
        StoreFiles.sweepSnapshots(scratch);
    }
}
