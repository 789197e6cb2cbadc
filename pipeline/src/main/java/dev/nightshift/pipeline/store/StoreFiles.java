package dev.nightshift.pipeline.store;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.h2.jdbcx.JdbcDataSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/**
 * The database's files for {@link Store}: H2 connections with their options, Flyway's migrations, the copies read
 * while a run holds the database (made, swept, deleted at exit) and the messages for what goes wrong with them.
 */
final class StoreFiles {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(StoreFiles.class);

    private StoreFiles() {
    }

    /** What is done to a new connection before a {@link Store} owns it: check the schema, migrate. */
    @FunctionalInterface
    interface Preparation {
        void apply(Connection connection) throws SQLException;
    }

    /**
     * A new connection with {@code preparation} applied, closed again when preparing throws: H2 keeps an
     * embedded database open while any connection to it is (DB_CLOSE_ON_EXIT=FALSE), so a failed migration
     * that left its connection behind would hold the file for the rest of the process.
     */
    static Connection prepared(JdbcDataSource ds, Preparation preparation) throws SQLException {
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
    static JdbcDataSource dataSource(Path base, String options) {
        JdbcDataSource ds = new JdbcDataSource();
        // TRACE_LEVEL_FILE=0: no x.trace.db beside the database. H2 writes its errors there as well as
        // throwing them, and every new database would leave one (Flyway asks for a table before making it);
        // every error reaches nightshift as an SQLException, which is reported and logged.
        ds.setURL("jdbc:h2:file:" + base.toAbsolutePath() + options + ";DB_CLOSE_ON_EXIT=FALSE;TRACE_LEVEL_FILE=0");
        ds.setUser("nightshift");
        ds.setPassword("");
        return ds;
    }

    static void deleteCopy(Path copyBase) {
        LIVE_SNAPSHOTS.remove(copyBase);
        deleteFolder(copyBase.getParent());
    }

    static void deleteFolder(Path folder) {
        try (var files = Files.list(folder)) {
            for (Path f : files.toList()) Files.deleteIfExists(f);
            Files.deleteIfExists(folder);
        } catch (IOException e) {
            log.debug("cannot delete the snapshot {}", folder, e);
        }
    }

    static final String SNAPSHOT = "snapshot-";
    /** Copies open in this process: deleted when it exits, however it exits short of a kill. */
    static final java.util.Set<Path> LIVE_SNAPSHOTS = java.util.concurrent.ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> List.copyOf(LIVE_SNAPSHOTS).forEach(StoreFiles::deleteCopy), "snapshot-cleanup"));
    }

    /**
     * Deletes copies left in {@code scratch} by processes that are gone (killed, or stopped before they
     * could clean up): a server answering questions all night made one per question while a run held the
     * database, 374 MB each. Copies of live processes are left alone; copies named before process ids
     * were recorded are deleted once a day old.
     */
    static void sweepSnapshots(Path scratch) {
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
    static String schemaVersion(Connection c) {
        try {
            return Jdbc.first(c, "SELECT \"version\" FROM \"flyway_schema_history\" WHERE \"success\" "
                    + "ORDER BY \"installed_rank\" DESC", rs -> rs.getString(1)).orElse(null);
        } catch (SQLException e) {
            return null; // no history table yet
        }
    }

    static void migrate(JdbcDataSource ds, Path base) {
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

    static String describe(SQLException e, Path base) {
        if (e.getErrorCode() == 90020) { // DATABASE_ALREADY_OPEN_1
            return "the database " + base + ".mv.db is open in another program; close it and try again";
        }
        if (e.getErrorCode() == 90030 || e.getErrorCode() == 90048) { // FILE_CORRUPTED_1, FILE_VERSION_ERROR_1
            return "the database " + base + ".mv.db is damaged or not a nightshift database: " + e.getMessage();
        }
        return "database error on " + base + ".mv.db: " + e.getMessage();
    }
}
