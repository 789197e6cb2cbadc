package dev.nightshift.pipeline.run;

import dev.nightshift.pipeline.store.StatusQueries;
import dev.nightshift.pipeline.store.LineageQueries;
import dev.nightshift.pipeline.core.FailureCategory;
import dev.nightshift.pipeline.core.Extraction;
import dev.nightshift.pipeline.core.ExtractionStatus;
import dev.nightshift.pipeline.core.SourceItem;
import dev.nightshift.pipeline.store.LineageQueries;
import dev.nightshift.pipeline.store.Store;
import dev.nightshift.pipeline.llm.GenerationCancelledException;
import dev.nightshift.pipeline.summarize.TextRankSummarizer;
import dev.nightshift.pipeline.task.DocumentTask;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DocumentRunTest {
    @TempDir
    Path dir;

    /** Reads files as UTF-8 text; a file whose content starts with "BROKEN" fails like a corrupt file. */
    static class TextExtractor implements Extractor {
        final List<String> seen = Collections.synchronizedList(new ArrayList<>());

        @Override
        public Extraction extract(SourceItem item) {
            seen.add(item.locator());
            try {
                String text = Files.readString(item.file());
                if (text.startsWith("BROKEN")) {
                    return Extraction.failed(ExtractionStatus.PARSE_ERROR, name(), "text/plain", 1, "broken on purpose");
                }
                return new Extraction(ExtractionStatus.SUCCESS, text, "text/plain", "text", name(), null, "en", 1, null);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public String name() {
            return "text-v1";
        }
    }

    static Connector listing(List<Path> files) {
        return (sink, problems) -> {
            for (Path f : files) {
                try {
                    var item = new SourceItem(f.toString(), f, Files.exists(f) ? Files.size(f) : 0,
                            Files.exists(f) ? Files.getLastModifiedTime(f).toInstant() : null);
                    if (!sink.accept(item)) return;
                } catch (IOException e) {
                    problems.problem(f.toString(), e.getMessage());
                }
            }
        };
    }

    private List<Path> files(int n) throws IOException {
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Path f = dir.resolve("doc" + i + ".txt");
            Files.writeString(f, "Document " + i + " is about rivers. Rivers carry ships. Ships carry goods to harbours.");
            files.add(f);
        }
        return files;
    }

    private RunReport run(Store store, Connector connector, Extractor extractor, StopSignal stop) throws InterruptedException {
        return run(store, connector, extractor, stop, new TextRankSummarizer(20));
    }

    private RunReport run(Store store, Connector connector, Extractor extractor, StopSignal stop, DocumentTask task)
            throws InterruptedException {
        long runId = store.startRun("summarize", "test", "test");
        return new DocumentRun(RunStages.local(store, extractor, task, 2, SkipPolicy.STANDARD), RunListener.NONE, stop, Clock.systemUTC())
                .execute(runId, connector);
    }

    /**
     * An archive: each line "name: text" of the file is an entry of its own. An entry whose text is
     * "CRASH" fails as a crashed parser would, while {@code crash} is set.
     */
    static class BoxExtractor implements Extractor {
        final List<String> seen = Collections.synchronizedList(new ArrayList<>());
        volatile boolean crash = true;

        @Override
        public Extraction extract(SourceItem item) {
            seen.add(item.locator());
            try {
                List<dev.nightshift.pipeline.core.EmbeddedDocument> entries = new ArrayList<>();
                for (String line : Files.readAllLines(item.file())) {
                    String name = line.substring(0, line.indexOf(':'));
                    String text = line.substring(line.indexOf(':') + 1).strip();
                    Extraction e = crash && text.equals("CRASH")
                            ? Extraction.failed(ExtractionStatus.CRASH, name(), "text/plain", 1, "the parser crashed")
                            : new Extraction(ExtractionStatus.SUCCESS, text, "text/plain", "text", name(), null, "en", 1, null);
                    entries.add(new dev.nightshift.pipeline.core.EmbeddedDocument(name, dev.nightshift.pipeline.core.Hashing.sha256(text),
                            text.length(), e));
                }
                return new Extraction(ExtractionStatus.CONTAINER, "", "application/x-box", "box", name(), null, null, 1,
                        "its entries are documents of their own", entries);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public String name() {
            return "box-v1";
        }
    }

    @Test
    void aNewTaskProcessesTheEntriesOfAnUnchangedArchive() throws Exception {
        Path box = dir.resolve("two.box");
        Files.writeString(box, "a.txt: Rivers carry ships. Ships carry goods to harbours. Harbours have cranes.\n"
                + "b.txt: Mountains are high. Some mountains have snow all year. Snow melts in spring.\n");
        try (Store store = Store.open(dir.resolve("db"), Clock.systemUTC())) {
            RunReport first = run(store, listing(List.of(box)), new BoxExtractor(), new StopSignal(), new TextRankSummarizer(20));
            assertThat(first.done()).isEqualTo(2);

            // Same bytes, another task: the entries have never seen it.
            BoxExtractor again = new BoxExtractor();
            RunReport other = run(store, listing(List.of(box)), again, new StopSignal(), new TextRankSummarizer(30));
            assertThat(other.done()).isEqualTo(2);
            assertThat(other.skipped()).isZero();
            assertThat(new StatusQueries(store).status().outputs()).isEqualTo(4);

            // Unchanged under that task: not even opened.
            BoxExtractor third = new BoxExtractor();
            RunReport rerun = run(store, listing(List.of(box)), third, new StopSignal(), new TextRankSummarizer(30));
            assertThat(rerun.skipped()).isEqualTo(1);
            assertThat(rerun.done()).isZero();
            assertThat(third.seen).isEmpty();
        }
    }

    @Test
    void anEntryWorthRetryingReopensItsArchiveAndOnlyItIsDoneAgain() throws Exception {
        Path box = dir.resolve("mixed.box");
        Files.writeString(box, "good.txt: Rivers carry ships. Ships carry goods to harbours.\nbad.txt: CRASH\n");
        try (Store store = Store.open(dir.resolve("db"), Clock.systemUTC())) {
            RunReport first = run(store, listing(List.of(box)), new BoxExtractor(), new StopSignal());
            assertThat(first.done()).isEqualTo(1);
            assertThat(first.failuresByCategory()).containsEntry(FailureCategory.CRASH, 1L);

            BoxExtractor fixed = new BoxExtractor();
            fixed.crash = false;
            RunReport second = run(store, listing(List.of(box)), fixed, new StopSignal());
            assertThat(fixed.seen).containsExactly(box.toString());
            assertThat(second.done()).isEqualTo(1);   // bad.txt, now readable
            assertThat(second.skipped()).isEqualTo(1); // good.txt, done before
            assertThat(second.failed()).isZero();
            assertThat(new StatusQueries(store).status().outputs()).isEqualTo(2);

            BoxExtractor third = new BoxExtractor();
            assertThat(run(store, listing(List.of(box)), third, new StopSignal()).skipped()).isEqualTo(1);
            assertThat(third.seen).isEmpty();
        }
    }

    @Test
    void summarizesEveryDocumentThenSkipsThemWhenUnchanged() throws Exception {
        List<Path> files = files(25);
        try (Store store = Store.open(dir.resolve("db"), Clock.systemUTC())) {
            TextExtractor first = new TextExtractor();
            RunReport r1 = run(store, listing(files), first, new StopSignal());
            assertThat(r1.done()).isEqualTo(25);
            assertThat(r1.failed()).isZero();
            assertThat(new StatusQueries(store).status().outputs()).isEqualTo(25);

            Map<String, Long> rowsBefore = new java.util.TreeMap<>(new StatusQueries(store).storage().rows());
            TextExtractor second = new TextExtractor();
            RunReport r2 = run(store, listing(files), second, new StopSignal());
            assertThat(r2.skipped()).isEqualTo(25);
            assertThat(second.seen).isEmpty();
            assertThat(new StatusQueries(store).status().outputs()).isEqualTo(25);
            // A rerun of unchanged files adds its run, not a row per file.
            Map<String, Long> rowsAfter = new java.util.TreeMap<>(new StatusQueries(store).storage().rows());
            rowsBefore.merge("runs", 1L, Long::sum);
            assertThat(rowsAfter).isEqualTo(rowsBefore);

            Files.writeString(files.get(3), "Changed text about something else entirely. It has two sentences.");
            RunReport r3 = run(store, listing(files), new TextExtractor(), new StopSignal());
            assertThat(r3.done()).isEqualTo(1);
            assertThat(r3.skipped()).isEqualTo(24);
        }
    }

    /** Counts the documents it really works on. */
    static final class CountingTask implements DocumentTask {
        final DocumentTask inner = new TextRankSummarizer(20);
        final java.util.concurrent.atomic.AtomicInteger worked = new java.util.concurrent.atomic.AtomicInteger();

        @Override
        public dev.nightshift.pipeline.task.TaskProfile profile() {
            return inner.profile();
        }

        @Override
        public dev.nightshift.pipeline.task.TaskOutput process(List<dev.nightshift.pipeline.core.Chunk> chunks, java.util.Locale language) {
            worked.incrementAndGet();
            return inner.process(chunks, language);
        }
    }

    @Test
    void documentsWithTheSameBytesGetACopyOfTheFirstOnesOutputWithLineageToIt() throws Exception {
        String text = "The changelog lists every release. Release 2 fixed the harbour bug. Release 3 added the bridge report.";
        Path first = Files.writeString(dir.resolve("first.txt"), text);
        Path second = Files.writeString(Files.createDirectories(dir.resolve("b")).resolve("changelog.txt"), text);
        Path third = Files.writeString(Files.createDirectories(dir.resolve("c")).resolve("changelog.txt"), text);
        try (Store store = Store.open(dir.resolve("db"), Clock.systemUTC())) {
            CountingTask task = new CountingTask();
            RunReport r1 = run(store, listing(List.of(first)), new TextExtractor(), new StopSignal(), task);
            assertThat(r1.done()).isEqualTo(1);
            RunReport r2 = run(store, listing(List.of(second, third)), new TextExtractor(), new StopSignal(), task);
            assertThat(r2.done()).isEqualTo(2);
            assertThat(task.worked.get()).as("summaries made").isEqualTo(1);

            LineageQueries reports = new LineageQueries(store);
            var original = reports.lineage(first.toString()).get(0).extractions().get(0).outputs().get(0);
            for (Path copy : List.of(second, third)) {
                var output = reports.lineage(copy.toString()).get(0).extractions().get(0).outputs().get(0);
                assertThat(output.text()).isEqualTo(original.text());
                assertThat(output.provenance().finishReason()).isEqualTo("reused");
                assertThat(output.inputs()).hasSize(1);
                assertThat(((dev.nightshift.pipeline.store.Lineage.Output) output.inputs().get(0)).provenance().outputId())
                        .isEqualTo(original.provenance().outputId());
            }
            // The same bytes read by another extractor are worked on again: the text may differ.
            Path fourth = Files.writeString(Files.createDirectories(dir.resolve("d")).resolve("changelog.txt"), text);
            run(store, listing(List.of(fourth)), new TextExtractor() {
                @Override
                public String name() {
                    return "text-v2";
                }
            }, new StopSignal(), task);
            assertThat(task.worked.get()).isEqualTo(2);
        }
    }

    @Test
    void recordsFailuresAndGoesOn() throws Exception {
        List<Path> files = new ArrayList<>(files(3));
        Path broken = dir.resolve("broken.txt");
        Files.writeString(broken, "BROKEN content");
        files.add(broken);
        Path blank = dir.resolve("blank.txt");
        Files.writeString(blank, "   \n\n  ");
        files.add(blank);
        Path vanished = dir.resolve("vanished.txt");
        files.add(vanished); // listed but not there: unreadable
        try (Store store = Store.open(dir.resolve("db"), Clock.systemUTC())) {
            RunReport r = run(store, listing(files), new TextExtractor(), new StopSignal());
            assertThat(r.done()).isEqualTo(3);
            assertThat(r.failed()).isEqualTo(3);
            assertThat(r.failuresByCategory()).containsEntry(FailureCategory.PARSE_ERROR, 1L).containsEntry(FailureCategory.EMPTY, 1L)
                    .containsEntry(FailureCategory.UNREADABLE, 1L);
        }
    }

    @Test
    void aBugMetByOneDocumentFailsThatDocumentNotTheRun() throws Exception {
        List<Path> files = files(6);
        TextExtractor buggy = new TextExtractor() {
            @Override
            public Extraction extract(SourceItem item) {
                if (item.locator().endsWith("doc2.txt")) throw new IllegalStateException("a parser bug");
                return super.extract(item);
            }
        };
        try (Store store = Store.open(dir.resolve("db"), Clock.systemUTC())) {
            RunReport r = run(store, listing(files), buggy, new StopSignal());
            assertThat(r.done()).isEqualTo(5);
            assertThat(r.failuresByCategory()).containsEntry(FailureCategory.CRASH, 1L);
        }
    }

    @Test
    void aStopRequestEndsTheRunAndTheNextRunDoesTheRest() throws Exception {
        List<Path> files = files(40);
        StopSignal stop = new StopSignal();
        Connector stopping = (sink, problems) -> listing(files).discover(item -> {
            if (item.locator().endsWith("doc10.txt")) stop.request();
            return sink.accept(item);
        }, problems);
        try (Store store = Store.open(dir.resolve("db"), Clock.systemUTC())) {
            RunReport r1 = run(store, stopping, new TextExtractor(), stop);
            assertThat(r1.interrupted()).isTrue();
            assertThat(r1.done()).isLessThan(40);
            RunReport r2 = run(store, listing(files), new TextExtractor(), new StopSignal());
            assertThat(r2.done() + r2.skipped()).isEqualTo(40);
            assertThat(r2.done()).isEqualTo(40 - r1.done());
            assertThat(new StatusQueries(store).status().outputs()).isEqualTo(40);
        }
    }

    /**
     * A generation cancelled because the run is stopping (a long document after Ctrl-C) stores nothing of
     * that document and fails nothing: the next run does it again.
     */
    @Test
    void aDocumentCancelledMidGenerationIsLeftForTheNextRun() throws Exception {
        List<Path> files = files(6);
        StopSignal stop = new StopSignal();
        TextRankSummarizer textRank = new TextRankSummarizer(20);
        DocumentTask cancelling = new DocumentTask() {
            @Override
            public dev.nightshift.pipeline.task.TaskProfile profile() {
                return textRank.profile();
            }

            @Override
            public dev.nightshift.pipeline.task.TaskOutput process(List<dev.nightshift.pipeline.core.Chunk> chunks,
                                                                     java.util.Locale language) {
                if (chunks.get(0).text().startsWith("Document 3 ")) {
                    stop.request();
                    throw new GenerationCancelledException();
                }
                return textRank.process(chunks, language);
            }
        };
        try (Store store = Store.open(dir.resolve("db"), Clock.systemUTC())) {
            long runId = store.startRun("summarize", "test", "test");
            RunReport r1 = new DocumentRun(RunStages.local(store, new TextExtractor(), cancelling, 1, SkipPolicy.STANDARD), RunListener.NONE, stop, Clock.systemUTC())
                    .execute(runId, listing(files));
            assertThat(r1.interrupted()).isTrue();
            assertThat(r1.failed()).isZero();
            assertThat(new LineageQueries(store).lineage(files.get(3).toString())).isEmpty();
            RunReport r2 = run(store, listing(files), new TextExtractor(), new StopSignal());
            assertThat(r2.done()).isEqualTo(6 - r1.done());
            assertThat(new StatusQueries(store).status().outputs()).isEqualTo(6);
        }
    }

    /** A file that crashes its parser every time costs an attempt on the next two runs, then stands with its reason. */
    @Test
    void aFailureWorthRetryingIsRetriedABoundedNumberOfTimes() throws Exception {
        Path box = dir.resolve("crashing.box");
        Files.writeString(box, "good.txt: Rivers carry ships. Ships carry goods to harbours.\nbad.txt: CRASH\n");
        try (Store store = Store.open(dir.resolve("db"), Clock.systemUTC())) {
            for (int attempt = 1; attempt <= SkipPolicy.DEFAULT_ATTEMPTS; attempt++) {
                BoxExtractor extractor = new BoxExtractor();
                RunReport r = run(store, listing(List.of(box)), extractor, new StopSignal());
                assertThat(extractor.seen).as("attempt %d", attempt).containsExactly(box.toString());
                assertThat(r.failuresByCategory()).as("attempt %d", attempt).containsEntry(FailureCategory.CRASH, 1L);
            }
            BoxExtractor settled = new BoxExtractor();
            assertThat(run(store, listing(List.of(box)), settled, new StopSignal()).skipped()).isEqualTo(1);
            assertThat(settled.seen).isEmpty();

            // --retry-failed: one more attempt, whatever happened before.
            BoxExtractor forced = new BoxExtractor();
            forced.crash = false;
            long runId = store.startRun("summarize", "test", "test");
            RunReport r = new DocumentRun(RunStages.local(store, forced, new TextRankSummarizer(20), 2, SkipPolicy.RETRY_FAILED), RunListener.NONE,
                    new StopSignal(), Clock.systemUTC()).execute(runId, listing(List.of(box)));
            assertThat(forced.seen).containsExactly(box.toString());
            assertThat(r.done()).isEqualTo(1);
            assertThat(r.failed()).isZero();
        }
    }

    /**
     * A writer that fails (a full disk: the store cannot write) ends the run at once with that error: the
     * stages waiting on the writer (extraction blocked on a full queue) are stopped, nothing waits for
     * ever. It used to hang with the processing threads gone and the extraction threads parked.
     */
    @Test
    void aWriterThatFailsEndsTheRunAtOnce() throws Exception {
        List<Path> files = files(60);
        try (Store store = Store.open(dir.resolve("db"), Clock.systemUTC())) {
            ResultWriter real = new StoreWriter(store);
            java.util.concurrent.atomic.AtomicInteger writes = new java.util.concurrent.atomic.AtomicInteger();
            ResultWriter failing = new ResultWriter() {
                @Override
                public void write(long runId, List<ProcessedDocument> documents) {
                    if (writes.incrementAndGet() > 3) throw new dev.nightshift.pipeline.store.StoreException("No space left on device", null);
                    real.write(runId, documents);
                }

                @Override
                public void event(long runId, String locator, dev.nightshift.pipeline.store.EventKind kind, String detail) {
                    real.event(runId, locator, kind, detail);
                }
            };
            long runId = store.startRun("summarize", "test", "test");
            DocumentRun run = new DocumentRun(RunStages.local(store, new TextExtractor(), new TextRankSummarizer(20), failing, 2,
                    SkipPolicy.STANDARD), RunListener.NONE, new StopSignal(), Clock.systemUTC());
            long started = System.nanoTime();
            org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(10), () ->
                    assertThatThrownBy(() -> run.execute(runId, listing(files))).hasMessageContaining("No space left on device"));
            assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(10_000);
            assertThat(writes.get()).isLessThan(60);
        }
    }

    /**
     * A file replaced while it is read (the extractor's first read sees the new version, the fingerprint
     * the old one) is read again: the stored size, time, SHA-256 and text all belong to one version.
     */
    @Test
    void aFileReplacedWhileItIsReadIsReadAgainAsItIsNow() throws Exception {
        Path f = dir.resolve("report.txt");
        Files.writeString(f, "The old version is short. It talks about rivers.");
        String replacement = "The new version is longer than the old one. It talks about mountains and snow. Snow melts in spring.";
        Path staged = Files.writeString(dir.resolve("staged.tmp"), replacement);
        Files.setLastModifiedTime(staged, java.nio.file.attribute.FileTime.from(java.time.Instant.parse("2026-01-02T03:04:05Z")));
        TextExtractor replacing = new TextExtractor() {
            boolean replaced;

            @Override
            public Extraction extract(SourceItem item) {
                if (!replaced) {
                    replaced = true;
                    try {
                        Files.move(staged, f, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
                return super.extract(item);
            }
        };
        try (Store store = Store.open(dir.resolve("db"), Clock.systemUTC())) {
            RunReport report = run(store, listing(List.of(f)), replacing, new StopSignal());
            assertThat(report.done()).isEqualTo(1);
            assertThat(replacing.seen).hasSize(2);
            var stored = new LineageQueries(store).lineage(f.toString()).get(0);
            assertThat(stored.info().sha256()).isEqualTo(dev.nightshift.pipeline.core.Hashing.sha256(f));
            assertThat(stored.info().sizeBytes()).isEqualTo(Files.size(f));
            assertThat(stored.info().modifiedAt()).isEqualTo(java.time.Instant.parse("2026-01-02T03:04:05Z"));
            assertThat(stored.extractions().get(0).chars()).isEqualTo(replacement.length());
        }
    }
}
