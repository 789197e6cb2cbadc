package dev.nightshift.jobs.run;

import dev.nightshift.jobs.cli.Build;
import dev.nightshift.jobs.cli.DataLayout;
import dev.nightshift.jobs.cli.DataOptions;
import dev.nightshift.jobs.cli.ExitCodes;
import dev.nightshift.jobs.cli.Terminal;
import dev.nightshift.jobs.cli.UserException;

import dev.nightshift.pipeline.store.StatusQueries;
import dev.nightshift.connectors.folder.FolderConnector;
import dev.nightshift.pipeline.run.DocumentRun;
import dev.nightshift.pipeline.run.RunStages;
import dev.nightshift.pipeline.run.Extractor;
import dev.nightshift.pipeline.run.RunReport;
import dev.nightshift.pipeline.run.StopSignal;
import dev.nightshift.pipeline.store.RunStatus;
import dev.nightshift.pipeline.store.Store;
import dev.nightshift.connectors.search.LuceneIndex;
import dev.nightshift.pipeline.image.ImageDescriber;
import dev.nightshift.pipeline.image.PictureProcessor;
import dev.nightshift.pipeline.run.StoreWriter;
import dev.nightshift.pipeline.store.IndexFeed;
import dev.nightshift.pipeline.task.DocumentTask;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * One job run over files, the same for every job: open and lock the database, record the run, extract
 * and process every document with a {@link DocumentTask}, stop cleanly on Ctrl-C, print the summary.
 */
final class JobRun {
    private static final Logger log = LogManager.getLogger(JobRun.class);

    /** Work after the documents are stored and before the summary is printed (e.g. writing files). */
    @FunctionalInterface
    interface After {
        void accept(Store store, RunReport report);
    }

    private final CommandSpec spec;
    private final String command;
    private final DataOptions data;
    private final IngestOptions ingest;
    private final StopSignal stop = new StopSignal();

    JobRun(CommandSpec spec, String command, DataOptions data, IngestOptions ingest) {
        this.spec = spec;
        this.command = command;
        this.data = data;
        this.ingest = ingest;
    }

    /**
     * Says at once that the run has started, where it reads and writes: loading a model and starting the
     * extraction processes take seconds before the first progress line, which a user should not spend
     * wondering whether anything happens.
     */
    JobRun announce(List<Path> roots, Path model) {
        var err = spec.commandLine().getErr();
        String paths = roots.stream().map(p -> Terminal.line(p.toString())).collect(java.util.stream.Collectors.joining(", "));
        err.println("nightshift " + command + ": reading " + paths + " into " + Terminal.line(Store.baseOf(data.database()) + ".mv.db")
                + (model == null ? "" : "; loading " + Terminal.line(model.getFileName() == null ? model.toString() : model.getFileName().toString())));
        err.flush();
        return this;
    }

    /** Describes pictures during the run, or null to record them only. */
    private ImageDescriber images;

    /** Pictures are described by {@code describer} (a vision model); embedded pictures' bytes are kept for it. */
    JobRun describingImages(ImageDescriber describer) {
        this.images = describer;
        return this;
    }

    /** Said once more in the run's summary: how the run was slower or different than asked. */
    private final List<String> notes = new ArrayList<>();

    /** Adds a note to the run's summary (nothing for null). */
    JobRun noting(String note) {
        if (note != null) notes.add(note);
        return this;
    }

    /** Started ahead of the run by {@link #startExtraction}, or null. */
    private Extractor early;

    /**
     * Starts the extraction processes now, so that they are up when the run starts: a command calls this
     * before it loads its model, whose loading then hides their start-up.
     */
    JobRun startExtraction() {
        if (early == null) {
            early = ingest.extractor(spec.commandLine().getErr());
            early.warmUp();
        }
        return this;
    }

    /** The extractor started ahead of time, or a new one; the run owns it from here. */
    private Extractor takeExtractor() {
        Extractor e = early != null ? early : ingest.extractor(spec.commandLine().getErr());
        early = null;
        return e;
    }

    /** Stops extraction processes started ahead of a run that did not run (a model that failed to load). */
    void abandon() {
        if (early != null) early.close();
        early = null;
    }

    /** Most bytes of one embedded picture kept for a vision model. */
    static final long MAX_IMAGE_BYTES = 32L << 20;

    /**
     * Set by Ctrl-C. A model's generation should be cancelled when it has been set for
     * {@link #CANCEL_AFTER}: the shutdown waits at most a minute for the run to record itself.
     */
    StopSignal stopSignal() {
        return stop;
    }

    /** How long documents in flight may go on after Ctrl-C before their generation is cancelled. */
    static final java.time.Duration CANCEL_AFTER = java.time.Duration.ofSeconds(15);

    /**
     * @param task  the task, made once the database is open (it may read earlier results from it)
     * @return the process exit code
     */
    int execute(List<Path> roots, Function<Store, DocumentTask> task, After after) throws InterruptedException {
        Path database = Store.baseOf(data.database());
        Clock clock = Clock.systemUTC();
        CountDownLatch recorded = new CountDownLatch(1);
        // Ctrl-C or a plain kill: stop taking documents, let the ones in flight finish, record the run as
        // interrupted and close the database; only then may the JVM go.
        Thread hook = new Thread(() -> {
            stop.request();
            acknowledge();
            try {
                recorded.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "nightshift-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            RunReport report = run(roots, task, after, database, clock, stop);
            return report.interrupted() ? ExitCodes.RUN_FAILED : report.failed() > 0 || report.partial() > 0 ? ExitCodes.SOME_FAILED : ExitCodes.OK;
        } finally {
            recorded.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: the JVM exits once this thread is done
            }
        }
    }

    /** The run's progress, once it has one: tells how many documents are in flight when Ctrl-C comes. */
    private volatile Progress progress;

    /**
     * Says at once what Ctrl-C does, and lets a second Ctrl-C end the process on the spot (what the
     * documents in flight lose then is what kill -9 loses: each document is written in one transaction).
     */
    private void acknowledge() {
        Progress p = progress;
        int inFlight = p == null ? 0 : p.inFlight();
        var err = spec.commandLine().getErr();
        err.println();
        err.println("nightshift: stopping: finishing " + inFlight + " document" + (inFlight == 1 ? "" : "s")
                + " in flight, then recording the run (Ctrl-C again to abort at once)");
        err.flush();
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("INT"), signal -> {
                System.err.println("nightshift: aborted; the documents in flight are left for the next run");
                Runtime.getRuntime().halt(130);
            });
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            log.debug("cannot listen for a second Ctrl-C", e);
        }
    }

    private RunReport run(List<Path> roots, Function<Store, DocumentTask> makeTask, After after, Path database, Clock clock,
                          StopSignal stop) throws InterruptedException {
        try (Store store = Store.open(database, clock);
             Extractor extractor = takeExtractor().keepingImages(images == null ? 0 : MAX_IMAGE_BYTES);
             Progress progress = Progress.create(command, System.console() != null, spec.commandLine().getErr(), clock, ingest.progressInterval())) {
            this.progress = progress.withStatusFile(DataLayout.of(database).runState()).relativeTo(roots);
            DocumentTask task = makeTask.apply(store);
            long runId = store.startRun(command, String.join(" ", spec.commandLine().getParseResult().originalArgs()), Build.version());
            RunReport report;
            try {
                IndexFeed feed = new IndexFeed(store);
                try (LuceneIndex index = LuceneIndex.open(LuceneIndex.folderOf(database),
                        note -> spec.commandLine().getErr().println("nightshift: note: " + Terminal.line(note)));
                     IndexingWriter writer = new IndexingWriter(new StoreWriter(store), index, feed)) {
                    index.catchUp(feed); // what a killed run stored but did not index
                    RunStages stages = images == null
                            ? RunStages.local(store, extractor, task, writer, ingest.workers(), ingest.skipPolicy())
                            : PictureProcessor.stages(store, extractor, task, images, writer, ingest.workers(), ingest.skipPolicy());
                    DocumentRun run = new DocumentRun(stages, progress, stop, clock);
                    report = run.execute(runId, new FolderConnector(roots, excluded(database), ingest.filter()));
                }
                after.accept(store, report);
            } catch (RuntimeException | InterruptedException e) {
                String recorded = "";
                try {
                    store.finishRun(runId, RunStatus.FAILED, String.valueOf(e));
                } catch (RuntimeException cannot) {
                    // The same cause (a full disk) usually stops this write too; the next run settles the record.
                    recorded = " (the database could not record the run as failed either)";
                }
                if (writeFailure(e)) {
                    throw new UserException(ExitCodes.RUN_FAILED, "the run stopped: " + Terminal.line(rootMessage(e)) + recorded
                            + ". What was stored before is kept: fix the cause (free the space) and run the same command again to do the rest.");
                }
                throw e;
            }
            RunStatus status = report.interrupted() ? RunStatus.INTERRUPTED : RunStatus.COMPLETED;
            store.finishRun(runId, status, report.toString(), report.skipped());
            store.compactOnClose();
            log.info("run {} {}: {}", runId, status, report);
            progress.close();
            noting(progress.statusFileProblem());
            Path reportFile = DataLayout.of(database).report();
            try {
                dev.nightshift.connectors.report.HtmlReport.write(store, Path.of(database + ".mv.db"), runId, reportFile);
            } catch (RuntimeException | java.io.IOException e) {
                log.warn("cannot write the report", e);
                reportFile = null;
            }
            // Failures earlier runs recorded that this one left as they were (unchanged files are not read again).
            long stillFailed = new StatusQueries(store).failures(null).stream()
                    .filter(f -> f.runId() != runId && !f.status().equals("PARTIAL")).count();
            Summary.print(spec.commandLine().getOut(), command, report, stillFailed, progress.failures(), progress.partials(), notes, database, reportFile);
            return report;
        }
    }

    /** True for a failure to write the database or the search index (a full disk, a read-only folder). */
    static boolean writeFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof dev.nightshift.pipeline.store.StoreException || t instanceof java.io.IOException
                    || t instanceof java.io.UncheckedIOException) {
                return true;
            }
        }
        return false;
    }

    /**
     * What stopped a run, short: the outer message's subject ("cannot store FILE") and the innermost
     * cause's message ("No space left on device"), without the layers of database detail between.
     */
    static String rootMessage(Throwable e) {
        String outer = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        String inner = root.getMessage() == null ? root.toString() : root.getMessage().lines().findFirst().orElse("");
        if (root == e || outer.contains(inner)) return outer;
        int first = outer.indexOf(": ");
        return (first < 0 ? outer : outer.substring(0, first)) + ": " + inner;
    }

    /** Never read our own database, logs and caches when a scanned folder contains them. */
    private static Set<Path> excluded(Path database) {
        return DataLayout.of(database).own();
    }
}
