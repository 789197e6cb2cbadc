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
import dev.nightshift.pipeline.store.SegmentRows;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nightshift.jobs.cli.DataLayout;
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
import java.util.function.Function;

/**
 * Writes the translated files of a run into the output folder: a file nightshift can write back ({@link SameFormat})
 * in its own format, its segments translated through the run's model; every other document (PDF, mail, archives'
 * entries, or all of them with {@code --format md}) as Markdown from the stored translation. Counts what it wrote and
 * what the check of the segments found, for the closing lines.
 */
final class TranslationWriter {
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
    private final Map<SegmentIssue, Long> issues = new EnumMap<>(SegmentIssue.class);

    TranslationWriter(TranslatedFiles files, boolean sameFormat, Locale target, Glossary glossary, Function<Locale, SegmentTranslator> translator,
                      SegmentRows rows, long runId, String taskKey, PrintWriter err) {
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

    /**
     * Writes one document's translation.
     *
     * @param source the language every document is in (--from), or null to take each one's detected language
     */
    void write(FinalOutput o, Locale source) {
        Optional<SameFormat> format = sameFormat && !o.locator().contains(CONTAINER_SEPARATOR) ? SameFormat.of(o.locator()) : Optional.empty();
        if (format.isPresent() && Files.isRegularFile(Path.of(o.locator()))) {
            try {
                writeOwnFormat(o, format.get(), source != null ? source : o.language() == null ? null : Locale.forLanguageTag(o.language()));
                return;
            } catch (IOException | RuntimeException e) {
                // Okapi could not read what Tika did: the stored translation is still worth having.
                log.warn("cannot write {} as {}", o.locator(), format.get().label(), e);
                err.println("nightshift: " + Terminal.line(o.locator()) + ": cannot write it as " + format.get().label()
                        + " (" + Terminal.line(String.valueOf(e.getMessage())) + "); written as Markdown instead");
            }
        }
        try {
            if (files.write(o.locator(), o.text()).isPresent()) markdown++;
        } catch (IOException | RuntimeException e) {
            failures++;
            log.warn("cannot write the translation of {}", o.locator(), e);
            err.println("nightshift: cannot write the translation of " + Terminal.line(o.locator()) + ": " + Terminal.line(String.valueOf(e.getMessage())));
        }
    }

    private void writeOwnFormat(FinalOutput o, SameFormat format, Locale from) throws IOException {
        Path in = Path.of(o.locator());
        Optional<Path> planned = files.sameFormatTarget(o.locator());
        if (planned.isEmpty()) return;
        // Written after both the file's last change and its stored translation: this run has nothing to add (unless
        // it brings terms, which an earlier file may not have used).
        Instant newest = Files.getLastModifiedTime(in).toInstant().isAfter(o.createdAt()) ? Files.getLastModifiedTime(in).toInstant() : o.createdAt();
        if (glossary.size() == 0 && Files.isRegularFile(planned.get()) && !Files.getLastModifiedTime(planned.get()).toInstant().isBefore(newest)) {
            upToDate++;
            return;
        }
        if (from != null && from.getLanguage().equals(target.getLanguage())) {
            // Already in the target language, as the Markdown output does: the file as it is.
            files.writeSameFormat(o.locator(), temp -> Files.copy(in, temp, StandardCopyOption.REPLACE_EXISTING));
            ownFormat++;
            return;
        }
        FileTranslation[] done = new FileTranslation[1];
        Path written = files.writeSameFormat(o.locator(), temp -> done[0] = FileTranslator.translate(format, in, temp, from, target, glossary,
                translator.apply(from))).orElseThrow();
        ownFormat++;
        rows.save(runId, o.locator(), taskKey, from == null ? null : from.toLanguageTag(), target.toLanguageTag(), written.toString(),
                done[0].segments().stream().map(TranslationWriter::row).toList());
        segments += done[0].sent();
        for (SegmentFlag f : done[0].flags()) {
            issues.merge(f.issue(), 1L, Long::sum);
            log.info("{} segment {}: {} ({}): {} -> {}", o.locator(), f.segment(), f.issue().words(), f.detail(), f.source(), f.translation());
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

    long failures() {
        return failures;
    }

    /** The closing lines: how many files, in which format, and what the segment checks found. */
    void printSummary(PrintWriter out) {
        out.printf("%nWrote %d translated files to %s%s%n", markdown + ownFormat, files.folder(),
                failures > 0 ? " (" + failures + " could not be written, see above)" : "");
        if (sameFormat) {
            out.printf("  in their own format  %d%s%n", ownFormat, upToDate > 0 ? " (and " + upToDate + " already up to date)" : "");
            out.printf("  as Markdown          %d  (PDF, mail, RTF, archives' entries: formats nightshift cannot write back)%n", markdown);
        }
        if (segments > 0) {
            long flagged = issues.values().stream().mapToLong(Long::longValue).sum();
            StringBuilder kinds = new StringBuilder();
            issues.forEach((k, v) -> kinds.append(kinds.isEmpty() ? "" : ", ").append(k.words()).append(' ').append(v));
            out.printf("  segments translated  %d, %d flagged%s%n", segments, flagged, flagged > 0 ? " (" + kinds + "; each in " + DataLayout.current().logs().resolve("nightshift.log") + ")" : "");
        }
        out.flush();
    }
}
