package dev.nightshift.jobs;

import dev.nightshift.jobs.cli.ExitCodes;
import dev.nightshift.jobs.read.ReportCommandTest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The 280 real files of ../shared/corpus (Apache Tika's own test documents, many broken on purpose),
 * through the packaged jar with isolated extraction. Skipped, with a message, where ../shared is absent
 * (a user's fresh clone).
 */
public class CorpusIT {
    public static final Path CORPUS = Path.of("..", "..", "shared", "corpus").toAbsolutePath().normalize();
    static final Path JAR = Path.of("target", "nightshift.jar").toAbsolutePath();
    static long files;

    @TempDir
    Path dir;

    @BeforeEach
    void needsTheCorpus(TestInfo test) throws Exception {
        if (!Files.isDirectory(CORPUS)) {
            String why = "CorpusIT." + test.getTestMethod().map(m -> m.getName()).orElse("?") + " SKIPPED: no corpus at "
                    + CORPUS + " (it sits in ../shared beside a checkout)";
            System.err.println(why); // shows in the build output, not only in the report files
            assumeTrue(false, why);
        }
        try (Stream<Path> s = Files.list(CORPUS)) {
            files = s.filter(Files::isRegularFile).count();
        }
    }

    private JsonNode status(Path db) throws Exception {
        Cli.Result r = Cli.run("status", "--db", db.toString(), "--format", "json");
        return new ObjectMapper().readTree(r.out());
    }

    /** Every source with its latest extraction status, and every final output's text, as comparable lines. */
    private Set<String> rows(Path db) throws Exception {
        Set<String> rows = new TreeSet<>();
        Cli.Result export = Cli.run("export", "--format", "jsonl", "--db", db.toString());
        ObjectMapper json = new ObjectMapper();
        for (String line : export.out().lines().toList()) {
            JsonNode r = json.readTree(line);
            rows.add("output " + r.get("source_path").asText() + " " + r.get("document_sha256").asText() + " "
                    + r.get("chunk_span").asText() + " " + r.get("text").asText().hashCode());
        }
        JsonNode s = status(db);
        rows.add("status " + s.get("documents") + " " + s.get("extracted") + " " + s.get("failed") + " " + s.get("outputs")
                + " " + s.get("failures_by_status"));
        return rows;
    }

    private static java.util.Set<String> paths(JsonNode hits) {
        java.util.Set<String> out = new java.util.TreeSet<>();
        hits.forEach(h -> out.add(h.get("path").asText() + " " + h.get("kind").asText()));
        return out;
    }

    @Test
    void everyFileIsAccountedForAndASecondRunSkipsThemAll() throws Exception {
        Path db = dir.resolve("db");
        Cli.Result first = Cli.run("summarize", CORPUS.toString(), "--db", db.toString());
        assertThat(first.exitCode()).as(first.toString()).isIn(ExitCodes.OK, ExitCodes.SOME_FAILED);
        assertThat(first.out()).contains("documents seen      " + files);
        JsonNode status = status(db);
        // Every file is a document with an extraction, extracted or failed with a status; so is every
        // document found inside them (archive entries, attachments, embedded files).
        assertThat(status.get("files").asLong()).isEqualTo(files);
        assertThat(status.get("documents").asLong()).isEqualTo(files + status.get("entries").asLong());
        assertThat(status.get("extracted").asLong() + status.get("images").asLong() + status.get("failed").asLong())
                .isEqualTo(status.get("documents").asLong());
        // Pictures are recorded as images, not failures (most of the corpus's pictures are inside office files and PDFs).
        assertThat(status.get("images").asLong()).isGreaterThan(100);
        // ...and no picture is among the failures, not even those their parsers cannot read.
        Cli.Result failed = Cli.run("failures", "--db", db.toString(), "--format", "json");
        for (JsonNode f : new com.fasterxml.jackson.databind.ObjectMapper().readTree(failed.out())) {
            String path = f.get("path").asText().toLowerCase(java.util.Locale.ROOT);
            assertThat(path).as("a picture counted as a failure").doesNotEndWith(".png").doesNotEndWith(".jpg").doesNotEndWith(".jpeg")
                    .doesNotEndWith(".gif").doesNotEndWith(".emf").doesNotEndWith(".wmf");
        }
        assertThat(status.get("outputs").asLong()).isPositive().isLessThanOrEqualTo(status.get("extracted").asLong());
        assertThat(status.get("extracted").asLong()).isGreaterThan(files / 2);

        // No document is identified by the hash of nothing unless it has no bytes: PST messages, rebuilt by
        // the parser without a byte stream of their own, get a stand-in digest (TikaExtractor.identified).
        try (var c = java.sql.DriverManager.getConnection("jdbc:h2:file:" + db + ";ACCESS_MODE_DATA=r", "nightshift", "");
             var rs = c.createStatement().executeQuery("""
                     SELECT s.locator FROM documents d JOIN sources s ON s.id = d.source_id JOIN extractions e ON e.document_id = d.id
                     WHERE d.sha256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'
                       AND (d.size_bytes > 0 OR e.char_count > 0 OR e.status IN ('SUCCESS', 'PARTIAL', 'CONTAINER'))""")) {
            List<String> hashOfNothing = new ArrayList<>();
            while (rs.next()) hashOfNothing.add(rs.getString(1));
            assertThat(hashOfNothing).isEmpty();
        }

        // Search finds documents by words known to be in them, fast, with snippets.
        for (String[] q : new String[][] {{"\"Tika is a toolkit\"", "/corpus/testPDF.pdf"}, {"path:testPDF.pdf", "/corpus/testPDF.pdf"},
                {"lang:de", "testEXCEL_WORKBOOK_in_capitals.xls"}, {"kind:chunk AND \"Apache Software Foundation\"", "testDITA2.dita"}}) {
            Cli.Result found = Cli.run("search", q[0], "--db", db.toString(), "--format", "json", "--limit", "10");
            assertThat(found.exitCode()).as(found.toString()).isZero();
            JsonNode hits = new ObjectMapper().readTree(found.out());
            assertThat(paths(hits)).as(q[0]).anyMatch(path -> path.contains(q[1]));
            hits.forEach(h -> assertThat(h.get("snippet").asText()).isNotBlank());
            java.util.regex.Matcher ms = java.util.regex.Pattern.compile("in (\\d+) ms").matcher(found.err());
            assertThat(ms.find()).isTrue();
            assertThat(Integer.parseInt(ms.group(1))).as("milliseconds for " + q[0]).isLessThan(200);
        }

        // The corpus's report, as a person sees it in a browser.
        Path report = Path.of(db + ".report.html");
        assertThat(report).exists();
        String chromium = ReportCommandTest.chromium();
        if (chromium == null) {
            System.out.println("SKIPPED (browser part): no chromium on this machine; the corpus report was written but not opened");
        } else {
            String dom = ReportCommandTest.dom(chromium, report, "#filter=testPDF&open=1");
            assertThat(dom).contains("data-ready=\"true\"").contains("data-requests=\"0\"");
            assertThat(ReportCommandTest.total(dom, "documents")).isEqualTo(status.get("documents").asLong());
            assertThat(ReportCommandTest.total(dom, "failed")).isEqualTo(status.get("failed").asLong());
            assertThat(ReportCommandTest.count(dom, "<path")).isGreaterThan(10);
            assertThat(dom).contains("UNSUPPORTED: no parser for").contains("testPDF.pdf");
            assertThat(dom).containsPattern("\\d+ of " + status.get("documents").asLong() + " documents");
            assertThat(dom).contains("<h2>Lineage</h2>");
        }

        Cli.Result second = Cli.run("summarize", CORPUS.toString(), "--db", db.toString());
        assertThat(second.out()).contains("skipped (unchanged) " + files);
        assertThat(status(db).get("skipped").asLong()).isEqualTo(files);
    }

    @Test
    void aRunKilledPartWayAndResumedEndsWithTheSameRowsAsAnUninterruptedOne() throws Exception {
        Path whole = dir.resolve("whole");
        Cli.run("summarize", CORPUS.toString(), "--db", whole.toString());

        Path resumed = dir.resolve("resumed");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-Dnightshift.logdir=" + dir.resolve("logs"), "-jar", JAR.toString(),
                "summarize", CORPUS.toString(), "--db", resumed.toString(), "--progress-interval", "0"));
        Process p = new ProcessBuilder(command).redirectOutput(dir.resolve("out.txt").toFile())
                .redirectError(dir.resolve("err.txt").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline && p.isAlive()
                && Files.readAllLines(dir.resolve("err.txt")).stream().noneMatch(l -> l.matches("nightshift: (\\d{2,})/.*"))) {
            Thread.sleep(20);
        }
        assertThat(p.isAlive()).as("the run should still be going when killed").isTrue();
        // Readers while the run goes: status answers within a second, marks the run running, counts rise.
        long before = System.nanoTime();
        JsonNode early = status(resumed);
        assertThat((System.nanoTime() - before) / 1_000_000).as("status during a run, ms").isLessThan(1000);
        assertThat(early.get("last_run").get("status").asText()).isEqualTo("running");
        Thread.sleep(2500);
        JsonNode later = status(resumed);
        assertThat(later.has("run_in_progress")).isTrue();
        assertThat(later.get("run_in_progress").get("files_done").asLong())
                .isGreaterThanOrEqualTo(early.has("run_in_progress") ? early.get("run_in_progress").get("files_done").asLong() : 0);
        assertThat(later.get("documents").asLong()).isGreaterThanOrEqualTo(early.get("documents").asLong());
        p.destroyForcibly(); // kill -9, part-way
        p.waitFor(60, TimeUnit.SECONDS);
        Cli.Result rest = Cli.run("summarize", CORPUS.toString(), "--db", resumed.toString());
        assertThat(rest.exitCode()).as(rest.toString()).isIn(ExitCodes.OK, ExitCodes.SOME_FAILED);

        assertThat(rows(resumed)).isEqualTo(rows(whole));
        // The search index survived the kill: caught up, it finds what the uninterrupted run's finds.
        for (String q : new String[] {"\"Tika is a toolkit\"", "path:testPDF.pdf"}) {
            JsonNode a = new ObjectMapper().readTree(Cli.run("search", q, "--db", resumed.toString(), "--format", "json", "--limit", "50").out());
            JsonNode b = new ObjectMapper().readTree(Cli.run("search", q, "--db", whole.toString(), "--format", "json", "--limit", "50").out());
            assertThat(paths(a)).as(q).isEqualTo(paths(b)).isNotEmpty();
        }
    }
}
