package dev.nightshift.spark;

import dev.nightshift.pipeline.job.TaskSpec;
import dev.nightshift.connectors.extract.ForkedExtractor;
import dev.nightshift.pipeline.core.SourceItem;
import dev.nightshift.pipeline.run.Connector;
import dev.nightshift.pipeline.run.DocumentPreparer;
import dev.nightshift.pipeline.run.DocumentProcessor;
import dev.nightshift.pipeline.run.DocumentRun;
import dev.nightshift.pipeline.run.RunStages;
import dev.nightshift.pipeline.run.SkipPolicy;
import dev.nightshift.pipeline.run.StoreWriter;
import dev.nightshift.pipeline.store.PriorWorkLookup;
import dev.nightshift.pipeline.run.RunListener;
import dev.nightshift.pipeline.run.RunReport;
import dev.nightshift.pipeline.run.StopSignal;
import dev.nightshift.pipeline.store.RunStatus;
import dev.nightshift.pipeline.store.Store;
import dev.nightshift.pipeline.store.StoreImport;
import dev.nightshift.pipeline.summarize.SummaryStyle;
import dev.nightshift.pipeline.task.DocumentTask;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One partition on an executor: the local run's stages (isolated extraction, chunking, the document task)
 * over the partition's files, into a database of its own in a temporary folder; then its tables are written
 * as Parquet into an attempt folder, and the folder is renamed to {@code partitions/p-N}. The rename is the
 * commit: a retried or speculative attempt finds the partition committed and throws its own work away, so
 * a partition's rows are in the results once.
 */
final class PartitionRun {
    static final String COMMITTED = "partitions";
    static final String ATTEMPTS = "_attempts";

    private PartitionRun() {
    }

    /** @return one line for the driver: the partition and what became of its files */
    static String run(int index, List<FileRef> files, JobSettings s, PriorSnapshot previous, long attempt) throws Exception {
        Configuration conf = new Configuration();
        Path out = new Path(s.out());
        FileSystem fs = out.getFileSystem(conf);
        Path committed = new Path(new Path(out, COMMITTED), "p-" + index);
        if (fs.exists(committed)) return "p-" + index + ": committed by an earlier attempt";
        java.nio.file.Path work = Files.createTempDirectory("nightshift-p" + index + "-");
        try {
            List<SourceItem> items = new ArrayList<>();
            for (FileRef f : files) items.add(local(f, work, conf));
            Clock clock = Clock.systemUTC();
            java.nio.file.Path db = work.resolve("db").resolve("nightshift");
            // Before any file: a model folder the executor cannot read fails the task at once, naming it.
            ExecutorModel.Loaded model = s.model() == null ? null : ExecutorModel.get(s.model(), s.dtype(), s.batch());
            RunReport report;
            try (Store store = Store.open(db, clock);
                 ForkedExtractor extractor = extractor(s.threads(), s.timeoutSeconds(), work)) {
                long runId = store.startRun("spark " + s.task().kind().word(), s.arguments(), "spark");
                Connector connector = (sink, problems) -> {
                    for (SourceItem item : items) if (!sink.accept(item)) return;
                };
                DocumentTask task = task(s.task(), model, s.contextBudget(), store::cachedOutput);
                // Prior work comes from --previous (what an earlier run did) or, without it, from this partition's own
                // new database (nothing): the same SkipPolicy decides either way.
                PriorWorkLookup prior = previous != null ? previous : store;
                DocumentRun run = new DocumentRun(new RunStages(new DocumentPreparer(prior, extractor, SkipPolicy.STANDARD, task.profile()),
                        new DocumentProcessor(task), new StoreWriter(store), task.profile().parallelism(), s.threads()), RunListener.NONE,
                        new StopSignal(), clock);
                report = run.execute(runId, connector);
                store.finishRun(runId, RunStatus.COMPLETED, "partition " + index);
            }
            Path attemptFolder = new Path(new Path(out, ATTEMPTS), "p-" + index + "-" + attempt);
            fs.delete(attemptFolder, true);
            try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + db + ";ACCESS_MODE_DATA=r", "nightshift", "")) {
                ParquetTables.dump(c, StoreImport.TABLES, attemptFolder, conf);
            }
            fs.mkdirs(committed.getParent());
            if (!fs.rename(attemptFolder, committed)) {
                fs.delete(attemptFolder, true);
                return "p-" + index + ": committed by another attempt";
            }
            return "p-" + index + ": " + files.size() + " files, " + report.done() + " summarized, " + report.failed() + " failed, "
                    + report.images() + " images, " + report.skipped() + " skipped (unchanged)";
        } finally {
            delete(work);
        }
    }

    /**
     * The file as the stages read it: a local file in place (its locator is its path, as a local run's is),
     * anything else copied into the partition's folder first (its locator is its URI).
     */
    private static SourceItem local(FileRef f, java.nio.file.Path work, Configuration conf) throws IOException {
        String locator = locatorOf(f);
        if (!locator.contains("://")) {
            java.nio.file.Path p = java.nio.file.Path.of(locator);
            return new SourceItem(locator, p, f.size(), Instant.ofEpochMilli(f.modifiedMillis()));
        }
        java.nio.file.Path copy = work.resolve("in").resolve(Integer.toHexString(f.uri().hashCode()) + "-" + new Path(f.uri()).getName());
        Files.createDirectories(copy.getParent());
        Path source = new Path(f.uri());
        try (InputStream in = source.getFileSystem(conf).open(source)) {
            Files.copy(in, copy);
        }
        return new SourceItem(f.uri(), copy, f.size(), Instant.ofEpochMilli(f.modifiedMillis()));
    }

    /** The document task as the local commands build it (the same TaskSpec, the same task key). */
    static DocumentTask task(TaskSpec t, ExecutorModel.Loaded model, int contextBudget, dev.nightshift.pipeline.task.ResultCache cache) {
        return t.build(model == null ? null : model.engine(), model == null ? null : model.generator(), contextBudget, cache);
    }

    /** Isolated extraction as a local run does it: child JVMs, a per-file timeout, 512 MB each. */
    static ForkedExtractor extractor(int threads, int timeoutSeconds, java.nio.file.Path work) {
        return new ForkedExtractor(new ForkedExtractor.Settings(threads, Duration.ofSeconds(timeoutSeconds), 512, 20_000_000, false,
                List.of("-Djava.io.tmpdir=" + work, "-Dlog4j2.configurationFile=log4j2-extract.xml"), work.resolve("cache"), classPath()));
    }

    /**
     * The classpath an extraction process needs. Under spark-submit, nightshift's jars (--jars, the application
     * jar) are loaded by Spark's own class loader and are not on the JVM's classpath: their files are added.
     */
    static String classPath() {
        java.util.LinkedHashSet<String> entries = new java.util.LinkedHashSet<>(List.of(System.getProperty("java.class.path").split(java.io.File.pathSeparator)));
        for (ClassLoader l = Thread.currentThread().getContextClassLoader(); l != null; l = l.getParent()) {
            if (!(l instanceof java.net.URLClassLoader u)) continue;
            for (java.net.URL url : u.getURLs()) {
                if ("file".equals(url.getProtocol())) {
                    try {
                        entries.add(java.nio.file.Path.of(url.toURI()).toString());
                    } catch (java.net.URISyntaxException | IllegalArgumentException e) {
                        // Not a file the child could read.
                    }
                }
            }
        }
        // The jar this class came from, whichever loader loaded it.
        var source = PartitionRun.class.getProtectionDomain().getCodeSource();
        if (source != null && "file".equals(source.getLocation().getProtocol())) entries.add(source.getLocation().getPath());
        return String.join(java.io.File.pathSeparator, entries);
    }

    /** What a file is called in the database: a local file by its path (as a local run names it), else its URI. */
    static String locatorOf(FileRef f) {
        java.net.URI uri = java.net.URI.create(f.uri());
        if (uri.getScheme() == null || "file".equals(uri.getScheme())) return java.nio.file.Path.of(uri.getScheme() == null ? f.uri() : uri.getPath()).toString();
        return f.uri();
    }

    static SummaryStyle style(String name) {
        for (SummaryStyle st : SummaryStyle.values()) if (st.cliName().equalsIgnoreCase(name)) return st;
        throw new IllegalArgumentException("--style must be paragraph or bullets");
    }

    private static void delete(java.nio.file.Path folder) {
        try (var walk = Files.walk(folder)) {
            for (java.nio.file.Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            // A temporary folder left behind is the executor's to clean.
        }
    }
}
