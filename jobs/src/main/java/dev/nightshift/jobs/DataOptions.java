package dev.nightshift.jobs;

import picocli.CommandLine.Option;

import dev.nightshift.pipeline.store.Store;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where nightshift keeps its database, logs and caches. Shared by every command that reads the database. */
public final class DataOptions {
    @Option(names = "--db", paramLabel = "PATH",
            description = "The H2 database file (default: nightshift-data/nightshift.mv.db; $NIGHTSHIFT_DATA moves the folder).")
    Path db;

    /** The data folder: $NIGHTSHIFT_DATA, or ./nightshift-data. */
    public static Path dataFolder() {
        String env = System.getenv("NIGHTSHIFT_DATA");
        return Path.of(env == null || env.isBlank() ? "nightshift-data" : env).toAbsolutePath().normalize();
    }

    /** The database of a command that only reads: it must exist already (reading never creates one). */
    public Path existingDatabase() {
        Path base = Store.baseOf(database());
        if (!Files.exists(Path.of(base + ".mv.db"))) {
            throw new UserException(ExitCodes.USAGE, "no database at " + base + ".mv.db; run `nightshift summarize PATH` first");
        }
        return base;
    }

    /** A question to the stored results; it may write (an export) and so may throw what writing throws. */
    @FunctionalInterface
    public interface Query<T> {
        T ask(dev.nightshift.pipeline.store.Reports reports) throws java.io.IOException;
    }

    /**
     * Opens the existing database, asks it one thing and closes it: what the reading commands share.
     * While a run holds the database, the question goes to a copy of what the run has committed so far
     * ({@link Store#openSnapshot}): reading never waits for, nor slows, a run.
     */
    public <T> T read(Query<T> query) throws java.io.IOException {
        Path base = existingDatabase();
        Store store;
        try {
            store = Store.open(base, java.time.Clock.systemUTC());
        } catch (dev.nightshift.pipeline.store.StoreLockedException e) {
            store = Store.openSnapshot(base, Path.of(System.getProperty("java.io.tmpdir")), java.time.Clock.systemUTC());
        }
        try (Store open = store) {
            return query.ask(new dev.nightshift.pipeline.store.Reports(open));
        }
    }

    public Path database() {
        return (db != null ? db : dataFolder().resolve("nightshift")).toAbsolutePath().normalize();
    }
}
