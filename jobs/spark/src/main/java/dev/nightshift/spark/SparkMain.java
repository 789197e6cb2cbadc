package dev.nightshift.spark;

import java.util.Locale;
import dev.nightshift.jobs.run.LanguageOption;
import dev.nightshift.pipeline.job.TaskSpec;
import dev.nightshift.pipeline.llm.model.Dtype;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.nightshift.pipeline.store.RunStatus;
import dev.nightshift.pipeline.store.Store;
import dev.nightshift.pipeline.store.StoreImport;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;

/**
 * The Spark runner: {@code summarize INPUT... --out DIR} lists the inputs on the driver, spreads the files
 * over partitions by size, and runs {@link PartitionRun} in each; {@code import DIR --db PATH} merges the
 * committed partitions into a database. {@code spark-submit --class dev.nightshift.spark.SparkMain
 * nightshift-spark.jar summarize ...}, or locally {@code scripts/nightshift spark summarize ... --master local[2]}.
 */
@Command(name = "nightshift-spark", subcommands = {SparkMain.Summarize.class, SparkMain.Translate.class, SparkMain.Extract.class, SparkMain.Import.class}, mixinStandardHelpOptions = true)
public final class SparkMain {
    /** Written beside the partitions: what the results are and which schema they were written at. */
    static final String MANIFEST = "manifest.json";

    public static void main(String[] args) {
        System.exit(new CommandLine(new SparkMain()).execute(args));
    }

    @Command(name = "summarize", mixinStandardHelpOptions = true, description = "Summarize INPUT... (folders or URIs Hadoop can list) on Spark into Parquet under --out.")
    static class Summarize extends Job {
        @Option(names = "--words", defaultValue = "120")
        int words;

        @Option(names = "--style", defaultValue = "paragraph")
        String style;

        @Option(names = "--language", paramLabel = "LANG", description = "With --model: write summaries in this language; default: each document's own.")
        String language;

        @Option(names = "--overlap", paramLabel = "TOKENS", defaultValue = "0",
                description = "With --model: repeat this many tokens of the previous chunk at the start of each chunk.")
        int overlap;

        @Override
        TaskSpec task() {
            if (overlap != 0 && model == null) throw new CommandLine.ParameterException(spec.commandLine(), "--overlap needs --model");
            Locale output;
            try {
                output = language == null ? null : LanguageOption.known("--language", language);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
            return TaskSpec.summary(words, PartitionRun.style(style), output, overlap);
        }
    }

    @Command(name = "translate", mixinStandardHelpOptions = true, description = "Translate INPUT... (folders or URIs Hadoop can list) on Spark into Parquet under --out; "
            + "nightshift import, then export, gives the translations.")
    static final class Translate extends Job {
        @Option(names = "--to", required = true, paramLabel = "LANG")
        String to;

        @Option(names = "--from", paramLabel = "LANG", defaultValue = "auto")
        String from;

        @Override
        TaskSpec task() {
            if (model == null) throw new CommandLine.ParameterException(spec.commandLine(), "translate needs --model");
            return TaskSpec.translation(Locale.forLanguageTag(to), "auto".equals(from) ? null : Locale.forLanguageTag(from));
        }
    }

    @Command(name = "extract", mixinStandardHelpOptions = true, description = "Read the fields of a JSON schema out of INPUT... on Spark "
            + "into Parquet under --out; nightshift import, then export --fields, gives them.")
    static final class Extract extends Job {
        @Option(names = "--schema", required = true, paramLabel = "FILE", description = "A JSON schema of the subset extract takes.")
        java.nio.file.Path schemaFile;

        @Option(names = "--max-tokens", paramLabel = "N", defaultValue = "512", description = "Most tokens of one chunk's fields (default: 512).")
        int maxTokens;

        @Override
        TaskSpec task() {
            if (model == null) throw new CommandLine.ParameterException(spec.commandLine(), "extract needs --model");
            try {
                // Parsed here, so that a schema outside the subset stops the job before Spark starts.
                var schema = dev.nightshift.pipeline.extract.ExtractionSchema.read(schemaFile);
                return TaskSpec.extraction(schema, maxTokens);
            } catch (java.io.IOException | IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--schema " + schemaFile + ": " + e.getMessage());
            }
        }
    }

    /** What the job does to each document (summarize or translate) and its options. */

    abstract static class Job implements Callable<Integer> {
        abstract TaskSpec task();

        @Parameters(paramLabel = "INPUT", arity = "1..*")
        List<String> inputs;

        @Option(names = "--out", required = true, paramLabel = "DIR")
        String out;

        @Option(names = "--master", paramLabel = "URL", description = "Spark master (default: what spark-submit gives, else local[*]).")
        String master;

        @Option(names = "--partitions", paramLabel = "N", defaultValue = "0", description = "Partitions (default: 2 per core Spark offers).")
        int partitions;

        @Option(names = "--threads", defaultValue = "1", description = "Extraction processes and workers per partition (default: 1).")
        int threads;

        @Option(names = "--timeout", defaultValue = "120", paramLabel = "SECONDS")
        int timeout;

        @Option(names = "--model", paramLabel = "DIR", description = "A model folder every executor can read: model-made summaries "
                + "(loaded once per executor JVM). Without it, extractive summaries.")
        String model;

        @Option(names = "--dtype", paramLabel = "D", description = "The model's precision (as summarize --dtype).")
        String dtype;

        @Option(names = "--context-budget", paramLabel = "TOKENS", defaultValue = "2048")
        int contextBudget;

        @Option(names = "--batch", paramLabel = "N", defaultValue = "8", description = "Rows the executor's generator batches (default: 8).")
        int batch;

        @Option(names = "--previous", paramLabel = "DB", description = "The database of earlier results (imported runs or local ones): "
                + "files whose bytes and task are unchanged are skipped.")
        java.nio.file.Path previous;

        @Option(names = "--overwrite", description = "Replace an existing --out.")
        boolean overwrite;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            TaskSpec taskSpec = task();
            Configuration conf = new Configuration();
            Path outPath = new Path(out);
            FileSystem outFs = outPath.getFileSystem(conf);
            if (outFs.exists(outPath)) {
                if (!overwrite) throw new CommandLine.ParameterException(spec.commandLine(), "--out " + out + " exists; give --overwrite to replace it");
                outFs.delete(outPath, true);
            }
            // Listed on the driver, before the job: an unreadable input fails here, named.
            List<FileRef> files = new ArrayList<>();
            for (String input : inputs) {
                try {
                    list(new Path(input), conf, files);
                } catch (IOException | IllegalArgumentException e) {
                    throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
                }
            }
            if (files.isEmpty()) throw new CommandLine.ParameterException(spec.commandLine(), "no files under " + String.join(", ", inputs));
            PriorSnapshot prior = previous == null ? null : prior(files, taskSpec);
            SparkSession.Builder builder = SparkSession.builder().appName("nightshift " + taskSpec.kind().word());
            if (master != null) builder.master(master);
            else if (System.getProperty("spark.master") == null) builder.master("local[*]");
            try (SparkSession spark = builder.getOrCreate()) {
                spark.sparkContext().setLogLevel("WARN");
                JavaSparkContext sc = new JavaSparkContext(spark.sparkContext());
                int n = partitions > 0 ? partitions : Math.max(1, Math.min(files.size(), 2 * sc.defaultParallelism()));
                List<List<FileRef>> groups = bySize(files, n);
                String jobId = UUID.randomUUID().toString();
                JobSettings settings = new JobSettings(jobId, outPath.toString(), taskSpec, threads, timeout, String.join(" ", inputs),
                        model == null ? null : (model.contains("://") ? model : java.nio.file.Path.of(model).toAbsolutePath().toString()),
                        dtype, contextBudget, batch);
                JavaRDD<List<FileRef>> rdd = sc.parallelize(groups, groups.size());
                List<String> lines = rdd.mapPartitionsWithIndex((index, it) -> {
                    List<FileRef> mine = new ArrayList<>();
                    it.forEachRemaining(mine::addAll);
                    long attempt = TaskContext.get() == null ? 0 : TaskContext.get().taskAttemptId();
                    return List.of(PartitionRun.run(index, mine, settings, prior, attempt)).iterator();
                }, true).collect();
                lines.forEach(l -> spec.commandLine().getOut().println("nightshift-spark: " + l));
                Map<String, Object> manifest = new LinkedHashMap<>();
                manifest.put("job_id", jobId);
                manifest.put("schema_version", StoreImport.schemaVersion());
                manifest.put("task", taskSpec.kind().word());
                manifest.put("inputs", inputs);
                manifest.put("files", files.size());
                manifest.put("partitions", groups.size());
                try (var o = outFs.create(new Path(outPath, MANIFEST), true)) {
                    o.write(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(manifest));
                }
                outFs.delete(new Path(outPath, PartitionRun.ATTEMPTS), true);
                spec.commandLine().getOut().println("nightshift-spark: " + files.size() + " files in " + groups.size() + " partitions; results in " + outPath
                        + " (nightshift import " + outPath + ")");
            }
            return 0;
        }

        /**
         * What the --previous database knows of these files under this job's task (its key is computed here as
         * the executors will: for a model, the model is loaded once on the driver to name its files' digest).
         */
        private PriorSnapshot prior(List<FileRef> files, TaskSpec taskSpec) {
            if (!java.nio.file.Files.isRegularFile(java.nio.file.Path.of(Store.baseOf(previous) + ".mv.db"))) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--previous " + previous + ": no such database");
            }
            String taskKey;
            if (model == null) {
                taskKey = PartitionRun.task(taskSpec, null, contextBudget, dev.nightshift.pipeline.task.ResultCache.NONE).profile().task().key();
            } else {
                try (var engine = dev.nightshift.pipeline.llm.GemmaEngine.load(java.nio.file.Path.of(model), dtype == null ? null
                        : dev.nightshift.pipeline.llm.model.Dtype.parse(dtype), 1)) {
                    taskKey = PartitionRun.task(taskSpec, new ExecutorModel.Loaded(engine, requests -> List.of()), contextBudget,
                            dev.nightshift.pipeline.task.ResultCache.NONE).profile().task().key();
                }
            }
            String extractor;
            try (var e = PartitionRun.extractor(threads, timeout, java.nio.file.Path.of(System.getProperty("java.io.tmpdir")))) {
                extractor = e.name();
            }
            PriorSnapshot snapshot = new PriorSnapshot();
            try (Store store = Store.openReadOnly(previous, java.nio.file.Path.of(System.getProperty("java.io.tmpdir")), Clock.systemUTC())) {
                for (FileRef f : files) {
                    String locator = PartitionRun.locatorOf(f);
                    store.latestVersion(locator).ifPresent(v -> snapshot.put(locator, v,
                            store.priorWork(locator, v.sha256(), taskKey, extractor, dev.nightshift.pipeline.run.SkipPolicy.DEFAULT_ATTEMPTS)));
                }
            }
            spec.commandLine().getOut().println("nightshift-spark: --previous knows " + snapshot.size() + " of the " + files.size() + " files");
            return snapshot;
        }

        /** Every file under a path, hidden ones (a name starting with a dot) left out, as a local run does. */
        private static void list(Path p, Configuration conf, List<FileRef> out) throws IOException {
            FileSystem fs = p.getFileSystem(conf);
            FileStatus status;
            try {
                status = fs.getFileStatus(p);
            } catch (IOException e) {
                throw new IOException("cannot read the input " + p + ": " + e.getMessage(), e);
            }
            if (status.isFile()) {
                out.add(new FileRef(status.getPath().toString(), status.getLen(), status.getModificationTime()));
                return;
            }
            RemoteIterator<LocatedFileStatus> it = fs.listFiles(p, true);
            while (it.hasNext()) {
                LocatedFileStatus f = it.next();
                String relative = f.getPath().toUri().getPath().substring(status.getPath().toUri().getPath().length());
                if (relative.contains("/.")) continue;
                out.add(new FileRef(f.getPath().toString(), f.getLen(), f.getModificationTime()));
            }
        }
    }

    /** Biggest first, each to the partition with the fewest bytes so far: partitions of about equal work. */
    static List<List<FileRef>> bySize(List<FileRef> files, int n) {
        List<FileRef> sorted = new ArrayList<>(files);
        sorted.sort(Comparator.comparingLong(FileRef::size).reversed().thenComparing(FileRef::uri));
        List<List<FileRef>> groups = new ArrayList<>();
        long[] bytes = new long[n];
        for (int i = 0; i < n; i++) groups.add(new ArrayList<>());
        for (FileRef f : sorted) {
            int least = 0;
            for (int i = 1; i < n; i++) if (bytes[i] < bytes[least]) least = i;
            groups.get(least).add(f);
            bytes[least] += Math.max(1, f.size());
        }
        groups.removeIf(List::isEmpty);
        return groups;
    }

    @Command(name = "import", mixinStandardHelpOptions = true, description = "Merge the results of a Spark run (its --out) into a database; importing twice changes nothing.")
    static final class Import implements Callable<Integer> {
        @Parameters(paramLabel = "DIR")
        String dir;

        @Option(names = "--db", paramLabel = "PATH")
        java.nio.file.Path db;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            Configuration conf = new Configuration();
            Path root = new Path(dir);
            FileSystem fs = root.getFileSystem(conf);
            Path manifestPath = new Path(root, MANIFEST);
            if (!fs.exists(manifestPath)) throw new CommandLine.ParameterException(spec.commandLine(), dir + " holds no nightshift results (no " + MANIFEST + ")");
            Map<?, ?> manifest;
            try (var in = fs.open(manifestPath)) {
                manifest = new ObjectMapper().readValue(in.readAllBytes(), Map.class);
            }
            String version = String.valueOf(manifest.get("schema_version"));
            if (!StoreImport.schemaVersion().equals(version)) {
                throw new CommandLine.ParameterException(spec.commandLine(), dir + " was written at schema " + version
                        + "; this nightshift imports schema " + StoreImport.schemaVersion() + " (run the job again with this version)");
            }
            // The same default as every other command: nightshift-data/nightshift under the current folder, or $NIGHTSHIFT_DATA.
            String data = System.getenv("NIGHTSHIFT_DATA");
            java.nio.file.Path database = db != null ? db : (data != null ? java.nio.file.Path.of(data) : java.nio.file.Path.of("nightshift-data")).resolve("nightshift");
            Clock clock = Clock.systemUTC();
            int imported = 0, skipped = 0, documents = 0;
            try (Store store = Store.open(database, clock)) {
                long runId = store.startRun("import", dir, "spark");
                FileStatus[] parts = fs.exists(new Path(root, PartitionRun.COMMITTED)) ? fs.listStatus(new Path(root, PartitionRun.COMMITTED)) : new FileStatus[0];
                java.util.Arrays.sort(parts, Comparator.comparing(f -> f.getPath().getName()));
                for (FileStatus part : parts) {
                    Map<String, List<Map<String, Object>>> tables = new HashMap<>();
                    for (String t : StoreImport.TABLES) tables.put(t, ParquetTables.read(part.getPath(), t, conf));
                    int n = StoreImport.merge(store, runId, new StoreImport.Partition(String.valueOf(manifest.get("job_id")), part.getPath().getName(), tables), clock);
                    if (n < 0) skipped++;
                    else {
                        imported++;
                        documents += n;
                    }
                }
                store.finishRun(runId, RunStatus.COMPLETED, imported + " partitions imported, " + skipped + " imported before");
            }
            spec.commandLine().getOut().println("nightshift import: " + imported + " partitions (" + documents + " new documents), " + skipped
                    + " imported before; into " + database.toAbsolutePath() + ".mv.db");
            return 0;
        }
    }
}
