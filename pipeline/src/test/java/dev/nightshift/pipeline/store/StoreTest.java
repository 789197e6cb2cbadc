package dev.nightshift.pipeline.store;

import dev.nightshift.pipeline.core.DocumentResult;
import dev.nightshift.pipeline.core.Chunk;
import dev.nightshift.pipeline.run.SkipPolicy;
import dev.nightshift.pipeline.core.Extraction;
import dev.nightshift.pipeline.core.ExtractionStatus;
import dev.nightshift.pipeline.core.FetchedDocument;
import dev.nightshift.pipeline.core.Hashing;
import dev.nightshift.pipeline.core.InputRef;
import dev.nightshift.pipeline.core.OutputDraft;
import dev.nightshift.pipeline.core.OutputOrigin;
import dev.nightshift.pipeline.core.SourceItem;
import dev.nightshift.pipeline.core.Task;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StoreTest {
    @TempDir
    Path dir;

    static final Task TASK = new Task("summary", "extractive", null, null, null, null, null, Map.of("words", "10"));

    static FetchedDocument document(String locator, String content) {
        return new FetchedDocument(new SourceItem(locator, Path.of(locator), content.length(), Instant.parse("2026-01-01T00:00:00Z")),
                Hashing.sha256(content), content.length());
    }

    static Extraction text(String text) {
        return new Extraction(ExtractionStatus.SUCCESS, text, "text/plain", "TestParser", "test-extractor", "3.3.1", "en", 5, null);
    }

    /** A two-chunk document summarized as a tree: two partial outputs and a final one. */
    static DocumentResult treeResult(FetchedDocument doc) {
        String text = "First part. Second part.";
        List<Chunk> chunks = List.of(new Chunk(0, 0, 11, 3, "First part."), new Chunk(1, 12, 24, 3, "Second part."));
        List<OutputDraft> outputs = List.of(
                new OutputDraft(0, false, "First.", List.of(InputRef.chunk(0)), OutputOrigin.EXTRACTIVE, 0, 0, 1),
                new OutputDraft(0, false, "Second.", List.of(InputRef.chunk(1)), OutputOrigin.EXTRACTIVE, 0, 0, 1),
                new OutputDraft(1, true, "Both.", List.of(InputRef.output(0), InputRef.output(1)), OutputOrigin.EXTRACTIVE, 0, 0, 2));
        return new DocumentResult(doc, text(text), "words", chunks, TASK, outputs);
    }

    @Test
    void createsTheSchemaAndRecordsRuns() {
        try (Store store = Store.open(dir.resolve("db"), Clock.systemUTC())) {
            long run = store.startRun("summarize", "x", "test");
            store.finishRun(run, RunStatus.COMPLETED, "ok");
            StatusReport status = new StatusQueries(store).status();
            assertThat(status.lastRun().status()).isEqualTo("completed");
            assertThat(status.documents()).isZero();
        }
        assertThat(dir.resolve("db.mv.db")).exists();
        // Only the database and its lock: no H2 trace file with the error Flyway provoked on a new database.
        assertThat(dir.resolve("db.trace.db")).doesNotExist();
    }

    @Test
    void aCompactedDatabaseHoldsLittleMoreThanItsTexts() throws Exception {
        Path db = dir.resolve("compact");
        long runId;
        try (Store store = Store.open(db, Clock.systemUTC())) {
            runId = store.startRun("summarize", "x", "test");
            // One transaction a document, as a run writes them: H2 frees the old pages but keeps the file.
            // Notes of about 1 KB with a 200-byte summary, as small as a typical archive's mail or README.
            for (int i = 0; i < 600; i++) {
                String text = ("Note " + i + " on the harbour: the ships came in on Tuesday and the bridge was mended. ").repeat(11);
                FetchedDocument doc = document("/notes/n" + i + ".txt", text);
                store.save(runId, new DocumentResult(doc, text(text), "words", List.of(new Chunk(0, 0, text.length(), 40, text)), TASK,
                        List.of(new OutputDraft(0, true, text.substring(0, 200), List.of(InputRef.chunk(0)), OutputOrigin.EXTRACTIVE, 0, 0, 1))));
            }
            store.finishRun(runId, RunStatus.COMPLETED, "ok", 7);
            StatusQueries.Storage loose = new StatusQueries(store).storage();
            assertThat(loose.ratio()).as("before compaction").isGreaterThan(1.5);
            store.compactOnClose();
        }
        try (Store store = Store.open(db, Clock.systemUTC())) {
            StatusQueries.Storage st = new StatusQueries(store).storage();
            assertThat(st.rows().get("documents")).isEqualTo(600);
            assertThat(st.ratio()).as(st.toString()).isLessThanOrEqualTo(1.5);
            assertThat(new StatusQueries(store).status().skipped()).isEqualTo(7);
        }
    }

    @Test
    void theSchemaVersionConstantIsTheNewestMigration() throws Exception {
        try (var files = Files.list(Path.of("..", "sql"))) {
            int newest = files.map(p -> p.getFileName().toString()).filter(n -> n.matches("V\\d+__.*\\.sql"))
                    .mapToInt(n -> Integer.parseInt(n.substring(1, n.indexOf("__")))).max().orElseThrow();
            assertThat(Store.SCHEMA_VERSION).isEqualTo(Integer.toString(newest));
        }
    }

    @Test
    void aMigrationThatFailsLeavesNoConnectionBehind() throws Exception {
        // A table named like one of the first migration's, without Flyway's history: V1 fails on it.
        String url = "jdbc:h2:file:" + dir.resolve("clash").toAbsolutePath() + ";DB_CLOSE_ON_EXIT=FALSE";
        try (var c = java.sql.DriverManager.getConnection(url, "nightshift", ""); var st = c.createStatement()) {
            st.execute("CREATE TABLE runs (x INT)");
        }

        assertThatThrownBy(() -> Store.open(dir.resolve("clash"), Clock.systemUTC()))
                .isInstanceOf(StoreException.class).hasMessageContaining("cannot prepare the database");

        // Before, the failed open's connection stayed open: the database counted two sessions here.
        try (var c = java.sql.DriverManager.getConnection(url, "nightshift", ""); var st = c.createStatement();
             var rs = st.executeQuery("SELECT COUNT(*) FROM INFORMATION_SCHEMA.SESSIONS")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(1);
        }
        assertThat(DatabaseLock.acquire(dir.resolve("clash.lock"), "clash")).satisfies(DatabaseLock::close);
    }

    @Test
    void reopeningAnUpToDateDatabaseKeepsItsData() {
        try (Store store = Store.open(dir.resolve("db"), Clock.systemUTC())) {
            store.startRun("summarize", "x", "test");
        }
        try (Store store = Store.open(dir.resolve("db"), Clock.systemUTC())) {
            assertThat(new StatusQueries(store).status().lastRun().id()).isEqualTo(1);
        }
    }

    @Test
    void acceptsTheFileNameWithItsSuffix() {
        try (Store store = Store.open(dir.resolve("results.mv.db"), Clock.systemUTC())) {
            assertThat(store.file()).isEqualTo(dir.resolve("results.mv.db"));
        }
    }

    @Test
    void savesATreeWithLineageAndExportsItsProvenance() {
        try (Store store = Store.open(dir.resolve("db"), Clock.systemUTC())) {
            long run = store.startRun("summarize", "x", "test");
            FetchedDocument doc = document("/data/a.txt", "First part. Second part.");
            store.save(run, treeResult(doc));

            List<ExportRecord> finals = new ArrayList<>();
            new OutputQueries(store).export(false, finals::add);
            assertThat(finals).singleElement().satisfies(r -> {
                assertThat(r.document().locator()).isEqualTo("/data/a.txt");
                assertThat(r.document().sha256()).isEqualTo(doc.sha256());
                assertThat(r.extractionParser()).isEqualTo("TestParser");
                assertThat(r.chunks()).extracting(ChunkSpan::charStart).containsExactly(0, 12);
                assertThat(r.provenance().parameters()).isEqualTo("words=10");
                assertThat(r.provenance().runId()).isEqualTo(run);
                assertThat(r.text()).isEqualTo("Both.");
            });
            List<ExportRecord> all = new ArrayList<>();
            new OutputQueries(store).export(true, all::add);
            assertThat(all).hasSize(3);

            List<Lineage.Document> trees = new LineageQueries(store).lineage("a.txt");
            assertThat(trees).singleElement();
            Lineage.Extraction extraction = trees.get(0).extractions().get(0);
            Lineage.Output root = extraction.outputs().get(0);
            assertThat(root.provenance().task()).isEqualTo("summary");
            assertThat(root.provenance().level()).isEqualTo(1);
            // The export and the lineage read the same provenance.
            assertThat(root.provenance()).isEqualTo(finals.get(0).provenance());
            assertThat(root.inputs()).hasSize(2);
            Lineage.Output leaf = (Lineage.Output) root.inputs().get(0);
            assertThat(leaf.inputs()).singleElement().isInstanceOfSatisfying(Lineage.Chunk.class,
                    c -> assertThat(c.span().seq()).isZero());
        }
    }

    @Test
    void theLineageOfAContainerShowsTheDocumentsInsideIt() {
        try (Store store = Store.open(dir.resolve("db"), Clock.systemUTC())) {
            long run = store.startRun("summarize", "x", "test");
            FetchedDocument zip = document("/d/a.zip", "zip bytes");
            FetchedDocument entry = new FetchedDocument(new SourceItem("/d/a.zip!/letters/b.txt", Path.of("/d/a.zip"), 5,
                    Instant.parse("2026-01-01T00:00:00Z")), Hashing.sha256("entry"), 5);
            store.saveAll(run, List.of(
                    DocumentResult.recorded(zip, Extraction.failed(ExtractionStatus.CONTAINER, "test-extractor", "application/zip", 1,
                            "its entries are documents of their own")),
                    treeResult(entry)));
            List<Lineage.Document> trees = new LineageQueries(store).lineage("a.zip");
            assertThat(trees).singleElement().satisfies(t -> {
                assertThat(t.extractions()).hasSize(1);
                assertThat(t.entries()).singleElement().satisfies(inside -> {
                    assertThat(inside.info().locator()).isEqualTo("/d/a.zip!/letters/b.txt");
                    assertThat(inside.extractions().get(0).outputs().get(0).provenance().level()).isEqualTo(1);
                });
            });
        }
    }

    @Test
    void priorWorkTellsDoneFromFailedFromRetryable() {
        try (Store store = Store.open(dir.resolve("db"), Clock.systemUTC())) {
            long run = store.startRun("summarize", "x", "test");
            FetchedDocument done = document("/d/done.txt", "done");
            store.save(run, treeResult(done));
            FetchedDocument broken = document("/d/broken.pdf", "broken");
            store.save(run, DocumentResult.recorded(broken,
                    Extraction.failed(ExtractionStatus.PARSE_ERROR, "test-extractor", "application/pdf", 1, "bad xref")));
            FetchedDocument slow = document("/d/slow.pdf", "slow");
            store.save(run, DocumentResult.recorded(slow,
                    Extraction.failed(ExtractionStatus.TIMEOUT, "test-extractor", "application/pdf", 1, "too slow")));

            SkipPolicy policy = SkipPolicy.STANDARD;
            int attempts = policy.maxAttempts();
            assertThat(policy.settled(store.priorWork("/d/done.txt", done.sha256(), TASK.key(), "test-extractor", attempts))).isTrue();
            assertThat(store.priorWork("/d/done.txt", Hashing.sha256("changed"), TASK.key(), "test-extractor", attempts)).isEqualTo(PriorWork.NONE);
            assertThat(policy.settled(store.priorWork("/d/done.txt", done.sha256(), "another-task", "test-extractor", attempts))).isFalse();
            PriorWork failed = store.priorWork("/d/broken.pdf", broken.sha256(), TASK.key(), "test-extractor", attempts);
            assertThat(policy.settled(failed)).isTrue();
            assertThat(failed.failureReason()).isEqualTo("bad xref");
            assertThat(policy.settled(store.priorWork("/d/broken.pdf", broken.sha256(), TASK.key(), "newer-extractor", attempts))).isFalse();
            PriorWork timedOut = store.priorWork("/d/slow.pdf", slow.sha256(), TASK.key(), "test-extractor", attempts);
            assertThat(timedOut.failedAttempts()).isEqualTo(1);
            assertThat(policy.settled(timedOut)).isFalse();

            StatusReport status = new StatusQueries(store).status();
            assertThat(status.documents()).isEqualTo(3);
            assertThat(status.extracted()).isEqualTo(1);
            assertThat(status.failed()).isEqualTo(2);
            assertThat(status.failuresByStatus()).containsEntry("PARSE_ERROR", 1L).containsEntry("TIMEOUT", 1L);

            // A failure worth retrying is retried as often as the policy allows, then stands.
            for (int i = 1; i < attempts; i++) {
                store.save(run, DocumentResult.recorded(slow,
                        Extraction.failed(ExtractionStatus.TIMEOUT, "test-extractor", "application/pdf", 1, "too slow")));
            }
            PriorWork exhausted = store.priorWork("/d/slow.pdf", slow.sha256(), TASK.key(), "test-extractor", attempts);
            assertThat(exhausted.failedAttempts()).isEqualTo(attempts);
            assertThat(policy.settled(exhausted)).isTrue();
            assertThat(policy.reason(exhausted)).contains("failed 3 times: TIMEOUT: too slow").contains("--retry-failed");
            assertThat(SkipPolicy.RETRY_FAILED.settled(exhausted)).isFalse();
            assertThat(status.outputs()).isEqualTo(1);
        }
    }

    @Test
    void aFailedWriteLeavesNothingBehind() {
        try (Store store = Store.open(dir.resolve("db"), Clock.systemUTC())) {
            long run = store.startRun("summarize", "x", "test");
            FetchedDocument doc = document("/d/a.txt", "a");
            // An output pointing at a chunk that does not exist fails half-way through the transaction.
            DocumentResult broken = new DocumentResult(doc, text("a"), "words", List.of(), TASK,
                    List.of(new OutputDraft(0, true, "x", List.of(InputRef.chunk(5)), OutputOrigin.EXTRACTIVE, 0, 0, 1)));
            assertThatThrownBy(() -> store.save(run, broken)).isInstanceOf(RuntimeException.class);
            assertThat(new StatusQueries(store).status().documents()).isZero();
            assertThat(store.latestVersion("/d/a.txt")).isEmpty();
        }
    }

    @Test
    void aSecondOpenIsRefusedAndTheDatabaseIsUntouched() throws Exception {
        Path db = dir.resolve("db");
        try (Store first = Store.open(db, Clock.systemUTC())) {
            first.startRun("summarize", "x", "test");
            assertThatThrownBy(() -> Store.open(db, Clock.systemUTC()))
                    .isInstanceOf(StoreLockedException.class)
                    .hasMessageContaining("in use by another nightshift")
                    .hasMessageContaining("pid " + ProcessHandle.current().pid());
        }
        try (Store again = Store.open(db, Clock.systemUTC())) {
            assertThat(new StatusQueries(again).status().lastRun().id()).isEqualTo(1);
        }
    }

    @Test
    void aRunLeftRunningByAKilledProcessIsMarkedAbandoned() {
        Path db = dir.resolve("db");
        try (Store store = Store.open(db, Clock.systemUTC())) {
            store.startRun("summarize", "x", "test"); // never finished, as after kill -9
        }
        try (Store store = Store.open(db, Clock.systemUTC())) {
            store.startRun("summarize", "x", "test");
            assertThat(new StatusQueries(store).status().lastRun().id()).isEqualTo(2);
        }
        try (Store store = Store.open(db, Clock.systemUTC())) {
            assertThat(Files.exists(store.file())).isTrue();
        }
    }

    @Test
    void aFileThatIsNotADatabaseGivesAClearError() throws Exception {
        Path db = dir.resolve("junk.mv.db");
        Files.writeString(db, "this is not an H2 database, just text ".repeat(200));
        assertThatThrownBy(() -> Store.open(db, Clock.systemUTC()))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("junk.mv.db");
    }
}
