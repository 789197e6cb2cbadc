package dev.nightshift.jobs.run;

import dev.nightshift.jobs.cli.DataLayout;
import dev.nightshift.jobs.cli.ExitCodes;
import dev.nightshift.jobs.cli.UserException;

import dev.nightshift.connectors.extract.ForkedExtractor;
import dev.nightshift.connectors.extract.Ocr;
import dev.nightshift.connectors.extract.TikaExtractor;
import dev.nightshift.connectors.folder.FolderConnector;
import dev.nightshift.pipeline.run.Extractor;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** What every job that reads files shares: which files, how they are extracted, how progress is shown. */
public final class IngestOptions {
    @Option(names = "--ocr", description = "Read text in images and scanned PDF pages with Tesseract (when installed; slow).")
    boolean ocr;

    @Option(names = "--accept-not-text", description = "Read text that looks like no language (base64, hex, long runs without "
            + "spaces) as text instead of recording it as NOT_TEXT; documents recorded NOT_TEXT before are read again.")
    boolean acceptNotText;

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

    @Option(names = "--retry-failed", description = "Extract again the files whose extraction timed out, crashed or ran out "
            + "of memory, however often it did before (by default they are tried on " + dev.nightshift.pipeline.run.SkipPolicy.DEFAULT_ATTEMPTS
            + " runs, then left with their reason).")
    boolean retryFailed;

    @Option(names = "--progress-interval", paramLabel = "SECONDS", defaultValue = "10",
            description = "Seconds between progress lines when stderr is not a terminal (default: ${DEFAULT-VALUE}).")
    int progressInterval;

    /** Checks the options; the paths must exist. Returns them absolute and normalized. */
    List<Path> validate(List<Path> paths) {
        if (workers() < 1) throw new UserException(ExitCodes.USAGE, "--threads must be at least 1");
        if (progressInterval < 0) throw new UserException(ExitCodes.USAGE, "--progress-interval cannot be negative");
        if (maxFileSizeMb < 1) throw new UserException(ExitCodes.USAGE, "--max-file-size must be at least 1 (MB)");
        if (extractHeapMb < 64) throw new UserException(ExitCodes.USAGE, "--extract-heap must be at least 64 (MB)");
        if (timeoutSeconds < 1) throw new UserException(ExitCodes.USAGE, "--timeout must be at least 1 second");
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

    dev.nightshift.pipeline.run.SkipPolicy skipPolicy() {
        return retryFailed ? dev.nightshift.pipeline.run.SkipPolicy.RETRY_FAILED : dev.nightshift.pipeline.run.SkipPolicy.STANDARD;
    }

    int workers() {
        return threads == null ? Runtime.getRuntime().availableProcessors() : threads;
    }

    Duration progressInterval() {
        return Duration.ofSeconds(progressInterval);
    }

    FolderConnector.Filter filter() {
        return new FolderConnector.Filter(include, exclude, hidden, maxFileSizeMb * 1024 * 1024);
    }

    /** The extractor these options ask for; pictures' bytes are kept only when asked ({@link Extractor#keepingImages}). */
    Extractor extractor(PrintWriter err) {
        boolean useOcr = ocr && Ocr.available();
        if (ocr && !useOcr) {
            err.println("nightshift: note: --ocr asked for, but Tesseract is not installed "
                    + "(e.g. apt-get install tesseract-ocr); images and scanned pages will have no text and are recorded as EMPTY.");
            err.flush();
        }
        if (isolation == Isolation.none) {
            return TikaExtractor.inProcess(Duration.ofSeconds(timeoutSeconds), writeLimit, useOcr).acceptingNotText(acceptNotText);
        }
        return forked(workers(), Duration.ofSeconds(timeoutSeconds), extractHeapMb, writeLimit, useOcr, acceptNotText);
    }

    /**
     * Extraction in child JVMs whose caches, temporary files and logs stay under the data folder,
     * as every command that extracts (the jobs and {@code bench extract}) runs them.
     */
    public static ForkedExtractor forked(int processes, Duration timeout, int heapMb, int writeLimit, boolean ocr) {
        return forked(processes, timeout, heapMb, writeLimit, ocr, false);
    }

    public static ForkedExtractor forked(int processes, Duration timeout, int heapMb, int writeLimit, boolean ocr, boolean acceptNotText) {
        Path cache = DataLayout.current().cache();
        List<String> jvm = List.of(
                "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"),
                "-Dpdfbox.fontcache=" + System.getProperty("pdfbox.fontcache", cache.toString()),
                "-Djna.tmpdir=" + System.getProperty("jna.tmpdir", cache.toString()),
                "-Dlog4j2.configurationFile=log4j2-extract.xml");
        return new ForkedExtractor(new ForkedExtractor.Settings(processes, timeout, heapMb, writeLimit, ocr, jvm, cache)
                .acceptingNotText(acceptNotText));
    }
}
