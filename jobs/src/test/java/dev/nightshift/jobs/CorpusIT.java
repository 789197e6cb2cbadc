package dev.nightshift.jobs;

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
class CorpusIT {
    static final Path CORPUS = Path.of("..", "..", "shared", "corpus").toAbsolutePath().normalize();
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
        p.destroyForcibly(); // kill -9, part-way
        p.waitFor(60, TimeUnit.SECONDS);
        Cli.Result rest = Cli.run("summarize", CORPUS.toString(), "--db", resumed.toString());
        assertThat(rest.exitCode()).as(rest.toString()).isIn(ExitCodes.OK, ExitCodes.SOME_FAILED);

        assertThat(rows(resumed)).isEqualTo(rows(whole));
    }
}
