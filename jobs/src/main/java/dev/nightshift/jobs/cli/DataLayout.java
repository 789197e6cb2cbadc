package dev.nightshift.jobs.cli;

import dev.nightshift.connectors.search.LuceneIndex;
import dev.nightshift.pipeline.store.Store;

import java.nio.file.Path;
import java.util.Set;

/**
 * Where nightshift keeps what it writes, in one place. The data folder ({@code ./nightshift-data}, or
 * {@code $NIGHTSHIFT_DATA}) holds the default database, the logs, the caches, downloaded models and, through the
 * launcher's {@code java.io.tmpdir}, temporary files; beside a database ({@code x.mv.db}) live its lock, its search
 * index ({@code x.search/}), its report ({@code x.report.html}) and, while a run goes, the run's state
 * ({@code x.run.json}).
 *
 * @param folder   the data folder
 * @param database the database's base name (without {@code .mv.db})
 */
public record DataLayout(Path folder, Path database) {
    public DataLayout {
        folder = folder.toAbsolutePath().normalize();
        database = Store.baseOf(database).toAbsolutePath().normalize();
    }

    /** The data folder: the launcher's {@code -Dnightshift.data}, $NIGHTSHIFT_DATA, or ./nightshift-data. */
    public static Path dataFolder() {
        String set = System.getProperty("nightshift.data", System.getenv("NIGHTSHIFT_DATA"));
        return Path.of(set == null || set.isBlank() ? "nightshift-data" : set).toAbsolutePath().normalize();
    }

    /** The layout around {@code database} (a base name or an {@code .mv.db} file), under the current data folder. */
    public static DataLayout of(Path database) {
        return new DataLayout(dataFolder(), database);
    }

    /** The layout of the current data folder and its default database. */
    public static DataLayout current() {
        return of(defaultDatabase());
    }

    /** The database used without {@code --db}. */
    public static Path defaultDatabase() {
        return dataFolder().resolve("nightshift");
    }

    public Path databaseFile() {
        return Path.of(database + ".mv.db");
    }

    public Path report() {
        return Path.of(database + ".report.html");
    }

    /** Where a run says how far it is every two seconds, for {@code status} in another terminal. */
    public Path runState() {
        return Path.of(database + ".run.json");
    }

    public Path searchIndex() {
        return LuceneIndex.folderOf(database);
    }

    public Path logs() {
        return folder.resolve("logs");
    }

    /** Library caches: PDFBox's fonts, the extraction processes' class-data archive. */
    public Path cache() {
        return folder.resolve("cache");
    }

    /** Where {@code model pull} puts a folder by default. */
    public Path models() {
        return folder.resolve("models");
    }

    /** Temporary files: the launcher points {@code java.io.tmpdir} into the data folder ({@code tmp/}). */
    public static Path temp() {
        return Path.of(System.getProperty("java.io.tmpdir"));
    }

    /** What a run never reads when a scanned folder holds it: the data folder and everything beside the database. */
    public Set<Path> own() {
        return Set.of(folder, databaseFile(), Path.of(database + ".lock"), Path.of(database + ".trace.db"), searchIndex(), runState());
    }
}
