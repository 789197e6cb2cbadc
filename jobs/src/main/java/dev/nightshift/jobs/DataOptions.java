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

    public Path database() {
        return (db != null ? db : dataFolder().resolve("nightshift")).toAbsolutePath().normalize();
    }
}
