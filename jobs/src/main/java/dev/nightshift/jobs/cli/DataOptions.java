package dev.nightshift.jobs.cli;

import picocli.CommandLine.Option;

import dev.nightshift.pipeline.store.Store;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where nightshift keeps its database, logs and caches. Shared by every command that reads the database. */
public final class DataOptions {
    @Option(names = "--db", paramLabel = "PATH",
            description = "The H2 database file (default: nightshift-data/nightshift.mv.db; $NIGHTSHIFT_DATA moves the folder).")
    Path db;

    /**
     * A command that only reads what a run stored (and may write the one file it is asked for): it needs
     * no data folder, so none is made for it. A command without this mark gets its temporary folder
     * made before it starts ({@link #prepareWorkFolders}); {@code --help} and usage errors get nothing.
     */
    public interface ReadsOnly {
    }

    /**
     * Makes the temporary folder (under the data folder, where the launcher puts it) before a command
     * that works: ONNX Runtime, Tika and the extraction processes need it. The database's folder is
     * made when the database is; logs are written on the first line logged.
     *
     * @throws UserException exit 1, saying which folder and why, when it cannot be made (a read-only folder)
     */
    static void prepareWorkFolders() {
        // The launcher points these at the data folder; libraries expect them to exist.
        for (String property : new String[] {"java.io.tmpdir", "pdfbox.fontcache", "jna.tmpdir"}) {
            String value = System.getProperty(property);
            if (value == null) continue;
            Path folder = Path.of(value).toAbsolutePath();
            try {
                Files.createDirectories(folder);
            } catch (java.io.IOException e) {
                throw new UserException(ExitCodes.RUN_FAILED, Terminal.line("cannot make the folder " + folder + " (" + dev.nightshift.pipeline.core.IoReasons.of(e)
                        + "); run from a folder you can write to, or set NIGHTSHIFT_DATA to one"));
            }
        }
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
        T ask(Store store) throws java.io.IOException;
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
            store = Store.openSnapshot(base, DataLayout.temp(), java.time.Clock.systemUTC());
        }
        try (Store open = store) {
            return query.ask(open);
        }
    }

    public Path database() {
        return (db != null ? db : DataLayout.defaultDatabase()).toAbsolutePath().normalize();
    }
}
