package dev.nightshift.jobs;

import dev.nightshift.connectors.extract.ForkedExtractor;
import dev.nightshift.connectors.extract.Ocr;
import dev.nightshift.connectors.extract.TikaExtractor;
import dev.nightshift.connectors.folder.FolderConnector;
import dev.nightshift.pipeline.run.DocumentRun;
import dev.nightshift.pipeline.run.Extractor;
import dev.nightshift.pipeline.run.RunReport;
import dev.nightshift.pipeline.run.StopSignal;
import dev.nightshift.pipeline.store.RunStatus;
import dev.nightshift.pipeline.store.Store;
import dev.nightshift.pipeline.llm.GemmaEngine;
import dev.nightshift.pipeline.llm.SamplingParams;
import dev.nightshift.pipeline.summarize.ModelSummarizer;
import dev.nightshift.pipeline.task.ResultCache;
import dev.nightshift.pipeline.task.DocumentTask;
import dev.nightshift.pipeline.summarize.SummaryStyle;
import dev.nightshift.pipeline.summarize.TextRankSummarizer;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

@Command(name = "summarize", description = "Extract, chunk and summarize every file under the given paths; "
        + "store everything with its provenance. Unchanged documents from earlier runs are skipped.")
final class SummarizeCommand implements Callable<Integer> {
    private static final Logger log = LogManager.getLogger(SummarizeCommand.class);

    @Mixin
    DataOptions data;

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "Files or folders (walked recursively).")
    List<Path> paths;

    @Option(names = "--model", paramLabel = "DIR", description = "A Gemma ONNX model folder. Without it, "
            + "summaries are extractive (TextRank).")
    Path model;

    @Mixin
    ModelOptions modelOptions;

    @Option(names = "--context-budget", paramLabel = "TOKENS", defaultValue = "2048",
            description = "With --model: most tokens per model call, prompt + chunk + summary (default: ${DEFAULT-VALUE}).")
    int contextBudget;

    @Option(names = "--overlap", paramLabel = "TOKENS", defaultValue = "0",
            description = "With --model: repeat this many tokens of the previous chunk at the start of each chunk (default: ${DEFAULT-VALUE}).")
    int overlap;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "4",
            description = "With --model: chunks summarized together in one batch (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--style", defaultValue = "paragraph", description = "paragraph or bullets (default: ${DEFAULT-VALUE}).")
    String style;

    @Option(names = "--language", paramLabel = "LANG",
            description = "With --model: write summaries in this language (e.g. en, de); default: each document's own.")
    String language;

    @Option(names = "--ocr", description = "Read text in images and scanned PDF pages with Tesseract (when installed; slow).")
    boolean ocr;

    @Option(names = "--include", paramLabel = "GLOB", description = "Only files matching (repeatable), e.g. '**/*.pdf' or '*.docx'.")
    List<String> include = new ArrayList<>();

    @Option(names = "--exclude", paramLabel = "GLOB", description = "Leave out files matching (repeatable), e.g. 'drafts/**'.")
    List<String> exclude = new ArrayList<>();

    @Option(names = "--hidden", description = "Also read hidden files and folders (names starting with a dot).")
    boolean hidden;

    @Option(names = "--max-file-size", paramLabel = "MB", defaultValue = "1024",
            description = "Larger files are recorded as failed, not read (default: ${DEFAULT-VALUE}).")
    long maxFileSizeMb;

    @Option(names = "--threads", paramLabel = "N", description = "Extraction workers (default: the number of cores).")
    Integer threads;

    @Option(names = "--words", paramLabel = "N", defaultValue = "120", description = "Summary length in words (default: ${DEFAULT-VALUE}).")
    int words;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "120",
            description = "Longest time one file may take to extract (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    enum Isolation { process, none }

    @Option(names = "--isolation", defaultValue = "process",
            description = "process: extract in child JVMs that are stopped on timeout and replaced after a crash or "
                    + "out-of-memory (default); none: inside this JVM (faster to start, no protection).")
    Isolation isolation;

    @Option(names = "--extract-heap", paramLabel = "MB", defaultValue = "512",
            description = "Heap of each extraction process (default: ${DEFAULT-VALUE}).")
    int extractHeapMb;

    @Option(names = "--write-limit", paramLabel = "CHARS", defaultValue = "20000000",
            description = "Most characters kept from one file; more is recorded as a PARTIAL extraction (default: ${DEFAULT-VALUE}).")
    int writeLimit;

    @Option(names = "--progress-interval", paramLabel = "SECONDS", defaultValue = "10",
            description = "Seconds between progress lines when stderr is not a terminal (default: ${DEFAULT-VALUE}).")
    int progressInterval;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        List<Path> roots = checkPaths();
        int workers = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        if (workers < 1) throw new UserException(ExitCodes.USAGE, "--threads must be at least 1");
        if (words < 5) throw new UserException(ExitCodes.USAGE, "--words must be at least 5");
        if (progressInterval < 0) throw new UserException(ExitCodes.USAGE, "--progress-interval cannot be negative");
        if (maxFileSizeMb < 1) throw new UserException(ExitCodes.USAGE, "--max-file-size must be at least 1 (MB)");
        if (extractHeapMb < 64) throw new UserException(ExitCodes.USAGE, "--extract-heap must be at least 64 (MB)");
        if (timeoutSeconds < 1) throw new UserException(ExitCodes.USAGE, "--timeout must be at least 1 second");
        summaryStyle();
        if (language != null && model == null) {
            throw new UserException(ExitCodes.USAGE, "--language needs --model: an extractive summary can only quote the document");
        }
        outputLanguage();
        if (overlap != 0 && model == null) throw new UserException(ExitCodes.USAGE, "--overlap needs --model");
        GemmaEngine engine = model == null ? null : modelOptions.load(model);
        try {
            if (engine != null) modelSummarizer(engine, ResultCache.NONE); // bad settings fail before the database is touched
            return runWith(roots, workers, engine);
        } finally {
            if (engine != null) engine.close();
        }
    }

    private DocumentTask modelSummarizer(GemmaEngine engine, ResultCache cache) {
        try {
            return new ModelSummarizer(engine, words, summaryStyle(), outputLanguage(), contextBudget, batchSize,
                    SamplingParams.GREEDY, cache).withOverlap(overlap);
        } catch (IllegalArgumentException e) {
            throw new UserException(ExitCodes.USAGE, e.getMessage());
        }
    }

    private int runWith(List<Path> roots, int workers, GemmaEngine engine) throws InterruptedException {
        Path database = Store.baseOf(data.database());
        Clock clock = Clock.systemUTC();

        StopSignal stop = new StopSignal();
        CountDownLatch recorded = new CountDownLatch(1);
        // Ctrl-C or a plain kill: stop taking documents, let the ones in flight finish, record the run as
        // interrupted and close the database; only then may the JVM go.
        Thread hook = new Thread(() -> {
            stop.request();
            try {
                recorded.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "nightshift-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            RunReport report = run(roots, workers, engine, database, clock, stop);
            return report.interrupted() ? ExitCodes.RUN_FAILED : report.failed() > 0 ? ExitCodes.SOME_FAILED : ExitCodes.OK;
        } finally {
            recorded.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: the JVM exits once this thread is done
            }
        }
    }

    private RunReport run(List<Path> roots, int workers, GemmaEngine engine, Path database, Clock clock, StopSignal stop)
            throws InterruptedException {
        try (Store store = Store.open(database, clock);
             Extractor extractor = extractor(workers);
             Progress progress = Progress.create(System.console() != null, spec.commandLine().getErr(), clock, Duration.ofSeconds(progressInterval))) {
            // Model summaries reuse earlier generations of identical chunks under the same task (result cache).
            DocumentTask summarizer = engine == null ? new TextRankSummarizer(words, summaryStyle())
                    : modelSummarizer(engine, store::cachedOutput);
            long runId = store.startRun("summarize", String.join(" ", spec.commandLine().getParseResult().originalArgs()), Main.version());
            RunReport report;
            try {
                DocumentRun run = new DocumentRun(store, extractor, summarizer, workers, progress, stop, clock);
                report = run.execute(runId, new FolderConnector(roots, excluded(database),
                        new FolderConnector.Filter(include, exclude, hidden, maxFileSizeMb * 1024 * 1024)));
            } catch (RuntimeException | InterruptedException e) {
                store.finishRun(runId, RunStatus.FAILED, String.valueOf(e));
                throw e;
            }
            RunStatus status = report.interrupted() ? RunStatus.INTERRUPTED : RunStatus.COMPLETED;
            store.finishRun(runId, status, report.toString());
            log.info("run {} {}: {}", runId, status, report);
            progress.close();
            Summary.print(spec.commandLine().getOut(), "summarize", report, progress.failures(), database);
            return report;
        }
    }

    private Extractor extractor(int workers) {
        boolean useOcr = ocr && Ocr.available();
        if (ocr && !useOcr) {
            spec.commandLine().getErr().println("nightshift: note: --ocr asked for, but Tesseract is not installed "
                    + "(e.g. apt-get install tesseract-ocr); images and scanned pages will have no text and are recorded as EMPTY.");
            spec.commandLine().getErr().flush();
        }
        if (isolation == Isolation.none) return TikaExtractor.inProcess(Duration.ofSeconds(timeoutSeconds), writeLimit, useOcr);
        Path data = DataOptions.dataFolder();
        List<String> jvm = List.of(
                "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"),
                "-Dpdfbox.fontcache=" + System.getProperty("pdfbox.fontcache", data.resolve("cache").toString()),
                "-Djna.tmpdir=" + System.getProperty("jna.tmpdir", data.resolve("cache").toString()),
                "-Dlog4j2.configurationFile=log4j2-extract.xml");
        return new ForkedExtractor(new ForkedExtractor.Settings(workers, Duration.ofSeconds(timeoutSeconds), extractHeapMb,
                writeLimit, useOcr, jvm, data.resolve("cache")));
    }

    private SummaryStyle summaryStyle() {
        for (SummaryStyle s : SummaryStyle.values()) if (s.cliName().equalsIgnoreCase(style)) return s;
        throw new UserException(ExitCodes.USAGE, "--style must be paragraph or bullets, not '" + style + "'");
    }

    private Locale outputLanguage() {
        if (language == null) return null;
        Locale l = Locale.forLanguageTag(language.strip());
        if (l.getLanguage().isEmpty() || l.getDisplayLanguage(Locale.ENGLISH).equalsIgnoreCase(l.getLanguage())) {
            throw new UserException(ExitCodes.USAGE, "--language takes a language code such as en, de or fr, not '" + language + "'");
        }
        return l;
    }

    private List<Path> checkPaths() {
        List<Path> roots = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (Path p : paths) {
            if (Files.exists(p)) roots.add(p.toAbsolutePath().normalize()); else missing.add(p.toString());
        }
        if (!missing.isEmpty()) {
            throw new UserException(ExitCodes.USAGE, "no such file or folder: " + String.join(", ", missing));
        }
        return roots;
    }

    /** Never read our own database, logs and caches when a scanned folder contains them. */
    private static Set<Path> excluded(Path database) {
        return Set.of(DataOptions.dataFolder(), Path.of(database + ".mv.db"), Path.of(database + ".lock"),
                Path.of(database + ".trace.db"));
    }
}
