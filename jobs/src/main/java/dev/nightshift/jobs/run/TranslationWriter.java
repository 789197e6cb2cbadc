package dev.nightshift.jobs.run;

import dev.nightshift.connectors.export.TranslatedFiles;
import dev.nightshift.connectors.formats.FileTranslation;
import dev.nightshift.connectors.formats.FileTranslator;
import dev.nightshift.connectors.formats.Glossary;
import dev.nightshift.connectors.formats.SameFormat;
import dev.nightshift.connectors.formats.SegmentFlag;
import dev.nightshift.connectors.formats.SegmentIssue;
import dev.nightshift.connectors.formats.SegmentTranslator;
import dev.nightshift.connectors.formats.TranslatedSegment;
import dev.nightshift.pipeline.llm.GenerationCancelledException;
import dev.nightshift.pipeline.llm.GeneratorFailedException;
import dev.nightshift.pipeline.store.SegmentRows;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nightshift.jobs.cli.Terminal;
import dev.nightshift.pipeline.store.OutputQueries.FinalOutput;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * Writes the translated files of a run into the output folder: a file nightshift can write back ({@link SameFormat})
 * in its own format, its segments translated through the run's model; every other document (PDF, mail, archives'
 * entries, or all of them with {@code --format md}) as Markdown from the stored translation. Several files are translated
 * at once so that their segments batch together. Counts what it wrote and what the check of the segments found, for
 * the closing lines.
 */
final class TranslationWriter implements AutoCloseable {
    private static final Logger log = LogManager.getLogger(TranslationWriter.class);
    private static final String CONTAINER_SEPARATOR = "!/";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TranslatedFiles files;
    private final boolean sameFormat;
    private final Locale target;
    private final Glossary glossary;
    /** The segment translator for a file in a given language (null when unknown). */
    private final Function<Locale, SegmentTranslator> translator;
    private final PrintWriter err;
    /** Where each written file's segments are stored, with the run and the task they belong to. */
    private final SegmentRows rows;
    private final long runId;
    private final String taskKey;

    private long markdown;
    private long ownFormat;
    private long upToDate;
    private long failures;
    private long segments;
    /** Segments with at least one issue (what failures --segments lists); {@link #issues} counts the issues. */
    private long flaggedSegments;
    private final Map<SegmentIssue, Long> issues = new EnumMap<>(SegmentIssue.class);
    /** Files translated at once: their segments meet in the shared generator's batches. */
    private final int parallel;
    private final ExecutorService pool;
    private final List<Job> window = new ArrayList<>();
    /** True once the user asked the run to stop (Ctrl-C): files not begun are left for the next run. */
    private final java.util.function.BooleanSupplier stopping;
    private long notWritten;

    TranslationWriter(TranslatedFiles files, boolean sameFormat, Locale target, Glossary glossary, Function<Locale, SegmentTranslator> translator,
                      SegmentRows rows, long runId, String taskKey, int parallel, java.util.function.BooleanSupplier stopping, PrintWriter err) {
        this.stopping = stopping;
        this.parallel = Math.max(1, parallel);
        this.pool = Executors.newFixedThreadPool(this.parallel, r -> {
            Thread t = new Thread(r, "translate-file");
            t.setDaemon(true);
            return t;
        });
        this.rows = rows;
        this.runId = runId;
        this.taskKey = taskKey;
        this.files = files;
        this.sameFormat = sameFormat;
        this.target = target;
        this.glossary = glossary;
        this.translator = translator;
        this.err = err;
    }

    /** A file to write in its own format ({@code file}, its name given out already), from the language it is in (null when unknown). */
    private record Job(FinalOutput output, SameFormat format, Locale from, Path file) {
    }

    /** What became of a job: written (with its segments, or copied), already up to date, or failed. */
    private record Done(Job job, Path written, FileTranslation translation, boolean upToDate, Exception failed) {
    }

    /**
     * Writes one document's translation: Markdown at once; a file in its own format joins the window of files
     * translated together (their segments share the generator's batches), written when the window is full or at
     * {@link #finish}.
     *
     * @param source the language every document is in (--from), or null to take each one's detected language
     */
    void write(FinalOutput o, Locale source) {
        Optional<SameFormat> format = sameFormat && !o.locator().contains(CONTAINER_SEPARATOR) ? SameFormat.of(o.locator()) : Optional.empty();
        Optional<Path> file = format.isPresent() && Files.isRegularFile(Path.of(o.locator())) ? files.claimSameFormat(o.locator()) : Optional.empty();
        if (file.isPresent()) {
            if (stopping.getAsBoolean()) {
                notWritten++;
                return;
            }
            window.add(new Job(o, format.get(), source != null ? source : o.language() == null ? null : Locale.forLanguageTag(o.language()), file.get()));
            if (window.size() >= 2 * parallel) flush();
            return;
        }
        markdown(o);
    }

    /** Writes the files still in the window. */
    void finish() {
        flush();
    }

    /** Stops the threads (a file being translated stops with its generation). */
    @Override
    public void close() {
        pool.shutdownNow();
    }

    private void markdown(FinalOutput o) {
        try {
            if (files.write(o.locator(), o.text()).isPresent()) markdown++;
        } catch (IOException | RuntimeException e) {
            failures++;
            log.warn("cannot write the translation of {}", o.locator(), e);
            err.println("nightshift: cannot write the translation of " + Terminal.line(o.locator()) + ": " + Terminal.line(String.valueOf(e.getMessage())));
        }
    }

    /**
     * Translates the window's files on {@code parallel} threads, then, on this thread (which may hold the store),
     * stores their segments and counts them. A stop (Ctrl-C) passes on.
     */
    private void flush() {
        List<Future<Done>> running = new ArrayList<>();
        for (Job j : window) running.add(pool.submit(() -> run(j)));
        window.clear();
        for (Future<Done> f : running) {
            Done d;
            try {
                d = f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new GenerationCancelledException();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof GenerationCancelledException) {
                    notWritten++; // the user stopped the run while this file was being translated: nothing of it written
                    continue;
                }
                if (e.getCause() instanceof RuntimeException r) throw r; // the generator failed, or a bug: not a file's problem
                throw new IllegalStateException(e.getCause());
            }
            FinalOutput o = d.job().output();
            if (d.failed() != null) {
                // Okapi could not read what Tika did: the stored translation is still worth having.
                log.warn("cannot write {} as {}", o.locator(), d.job().format().label(), d.failed());
                err.println("nightshift: " + Terminal.line(o.locator()) + ": cannot write it as " + d.job().format().label()
                        + " (" + Terminal.line(String.valueOf(d.failed().getMessage())) + "); written as Markdown instead");
                markdown(o);
            } else if (d.upToDate()) {
                upToDate++;
            } else {
                ownFormat++;
                if (d.translation() != null) saved(d);
            }
        }
    }

    private void saved(Done d) {
        FinalOutput o = d.job().output();
        Locale from = d.job().from();
        rows.save(runId, o.locator(), taskKey, from == null ? null : from.toLanguageTag(), target.toLanguageTag(), d.written().toString(),
                d.translation().segments().stream().map(TranslationWriter::row).toList());
        segments += d.translation().sent();
        flaggedSegments += d.translation().segments().stream().filter(t -> !t.flags().isEmpty()).count();
        for (SegmentFlag f : d.translation().flags()) {
            issues.merge(f.issue(), 1L, Long::sum);
            log.info("{} segment {}: {} ({}): {} -> {}", o.locator(), f.segment(), f.issue().words(), f.detail(), f.source(), f.translation());
        }
    }

    /** One file, on a pool thread: nothing here touches the store. */
    private Done run(Job j) {
        FinalOutput o = j.output();
        Path in = Path.of(o.locator());
        try {
            // Written after both the file's last change and its stored translation: this run has nothing to add (unless
            // it brings terms, which an earlier file may not have used).
            Instant changed = Files.getLastModifiedTime(in).toInstant();
            Instant newest = changed.isAfter(o.createdAt()) ? changed : o.createdAt();
            if (glossary.size() == 0 && Files.isRegularFile(j.file()) && !Files.getLastModifiedTime(j.file()).toInstant().isBefore(newest)) {
                return new Done(j, j.file(), null, true, null);
            }
            if (j.from() != null && j.from().getLanguage().equals(target.getLanguage())) {
                // Already in the target language, as the Markdown output does: the file as it is.
                Path copied = files.writeSameFormat(o.locator(), temp -> Files.copy(in, temp, StandardCopyOption.REPLACE_EXISTING)).orElseThrow();
                return new Done(j, copied, null, false, null);
            }
            FileTranslation[] done = new FileTranslation[1];
            Path written = files.writeSameFormat(o.locator(), temp -> done[0] = FileTranslator.translate(j.format(), in, temp, j.from(), target,
                    glossary, translator.apply(j.from()))).orElseThrow();
            return new Done(j, written, done[0], false, null);
        } catch (GenerationCancelledException | GeneratorFailedException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // Stopping tears the model down under a generation in flight: what fails then is the stop, not the file.
            if (stopping.getAsBoolean()) throw new GenerationCancelledException();
            return new Done(j, null, null, false, e);
        }
    }

    /** A segment as stored: its issues as a JSON array of {"issue", "detail"}. */
    private static SegmentRows.Segment row(TranslatedSegment s) {
        List<Map<String, String>> issues = new ArrayList<>();
        for (SegmentFlag f : s.flags()) issues.add(Map.of("issue", f.issue().name(), "detail", f.detail()));
        try {
            return new SegmentRows.Segment(s.unit(), s.source(), s.translation(), JSON.writeValueAsString(issues), !issues.isEmpty());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Files that could not be written, and files left unwritten because the run was stopped. */
    long failures() {
        return failures + notWritten;
    }

    /** The closing lines: how many files, in which format, and what the segment checks found. */
    void printSummary(PrintWriter out) {
        out.printf("%nWrote %d translated files to %s%s%n", markdown + ownFormat, files.folder(),
                failures > 0 ? " (" + failures + " could not be written, see above)" : "");
        if (notWritten > 0) {
            out.printf("  not written          %d  (the run was stopped: the same command writes them; their translations are stored)%n", notWritten);
        }
        if (sameFormat) {
            out.printf("  in their own format  %d%s%n", ownFormat, upToDate > 0 ? " (and " + upToDate + " already up to date)" : "");
            out.printf("  as Markdown          %d  (PDF, mail, RTF, archives' entries: formats nightshift cannot write back)%n", markdown);
        }
        if (segments > 0) {
            StringBuilder kinds = new StringBuilder();
            issues.forEach((k, v) -> kinds.append(kinds.isEmpty() ? "" : ", ").append(k.words()).append(' ').append(v));
            out.printf("  segments translated  %d, %d flagged%s%n", segments, flaggedSegments, flaggedSegments > 0
                    ? " (issues: " + kinds + "; failures --segments lists them, the log has each)" : "");
        }
        out.flush();
    }
}
