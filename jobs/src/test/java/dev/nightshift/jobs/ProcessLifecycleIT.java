package dev.nightshift.jobs;

import dev.nightshift.jobs.cli.ExitCodes;
import dev.nightshift.jobs.model.ModelCommandTest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * nightshift as separate processes, the way users meet it: the packaged jar, a second process holding
 * the database, Ctrl-C (SIGTERM here; both run the same shutdown path) and kill -9 in the middle of a run.
 */
class ProcessLifecycleIT {
    static final Path JAR = Path.of("target", "nightshift.jar").toAbsolutePath();
    static final int FILES = 1500;

    @TempDir
    Path dir;

    private Path corpus() throws IOException {
        Path corpus = Files.createDirectories(dir.resolve("corpus"));
        for (int i = 0; i < FILES; i++) {
            Files.writeString(corpus.resolve("note-" + i + ".txt"), "Note " + i + " records a delivery of " + (i * 7 % 100)
                    + " boxes to the warehouse. The boxes were counted twice. Nothing was missing on day " + i + ".");
        }
        return corpus;
    }

    private Process start(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(javaBin(), "-Xmx1g", "-Dnightshift.logdir=" + dir.resolve("logs"),
                "-Djava.io.tmpdir=" + dir, "-jar", JAR.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectOutput(dir.resolve("out.txt").toFile())
                .redirectError(dir.resolve("err.txt").toFile());
        pb.environment().put("NIGHTSHIFT_DATA", dir.resolve("data").toString());
        pb.environment().put("ORT_DISABLE_TELEMETRY", "1");
        return pb.start();
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Waits until the run has finished at least one document (it prints a progress line per document). */
    private void awaitProgress(Process p) throws Exception {
        Path err = dir.resolve("err.txt");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (Files.exists(err) && Files.readAllLines(err).stream()
                    .anyMatch(l -> l.matches("nightshift: [1-9]\\d*/(at least )?\\d+ files.*"))) {
                return;
            }
            if (!p.isAlive()) throw new AssertionError("the run ended before it showed progress: " + Files.readString(err));
            Thread.sleep(20);
        }
        throw new AssertionError("no progress within 60 s");
    }

    private JsonNode status(Path db) throws Exception {
        Cli.Result r = Cli.run("status", "--db", db.toString(), "--format", "json");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        return new ObjectMapper().readTree(r.out());
    }

    @Test
    void ctrlCStopsCleanlyAndTheNextRunDoesTheRest() throws Exception {
        Path corpus = corpus();
        Path db = dir.resolve("db");
        Process run = start("summarize", corpus.toString(), "--db", db.toString(), "--progress-interval", "0", "--threads", "1");
        awaitProgress(run);
        run.destroy(); // SIGTERM
        assertThat(run.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = Files.readString(dir.resolve("out.txt"));
        assertThat(out).contains("interrupted").contains("Run the same command again");
        // Acknowledged at once, before the documents in flight are finished.
        assertThat(Files.readString(dir.resolve("err.txt"))).containsPattern("nightshift: stopping: finishing \\d+ documents? in flight")
                .contains("Ctrl-C again to abort");
        JsonNode afterStop = status(db);
        assertThat(afterStop.get("last_run").get("status").asText()).isEqualTo("interrupted");
        int doneBefore = afterStop.get("outputs").asInt();
        assertThat(doneBefore).isBetween(1, FILES - 1);

        Cli.Result resumed = Cli.run("summarize", corpus.toString(), "--db", db.toString());
        assertThat(resumed.exitCode()).as(resumed.toString()).isZero();
        JsonNode end = status(db);
        assertThat(end.get("documents").asInt()).isEqualTo(FILES);
        assertThat(end.get("outputs").asInt()).as(() -> end + "\n" + oddOutputs(db)).isEqualTo(FILES);
        assertThat(end.get("skipped").asInt()).isEqualTo(doneBefore);
    }

    @Test
    void extractionProcessesOfLaterRunsStartFromTheClassDataArchiveOfTheFirst() throws Exception {
        Path corpus = Files.createDirectories(dir.resolve("few"));
        for (int i = 0; i < 3; i++) Files.writeString(corpus.resolve("n" + i + ".txt"), "Note " + i + " about a delivery.");
        Path cache = dir.resolve("data").resolve("cache");
        Path log = dir.resolve("logs").resolve("nightshift.log");
        for (int run = 0; run < 2; run++) {
            Process p = start("summarize", corpus.toString(), "--db", dir.resolve("db").toString(), "--progress-interval", "0");
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(Files.readString(dir.resolve("err.txt"))).isZero();
            try (var files = Files.list(cache)) {
                assertThat(files.map(f -> f.getFileName().toString()).filter(n -> n.startsWith("extract-")).toList())
                        .as("run %d", run).singleElement().asString().matches("extract-[0-9a-f]{16}\\.jsa");
            }
        }
        long fromArchive = Files.readAllLines(log).stream().filter(l -> l.contains("from the class-data archive")).count();
        assertThat(fromArchive).as("children of the second run started from the archive").isPositive();
    }

    /**
     * Ctrl-C while a model works through one long document: the run cannot wait for it (the shutdown
     * allows a minute), so its generation is cancelled after a grace period; the run still records
     * itself as interrupted, prints its summary and writes the files of what it finished.
     */
    @Test
    void ctrlCDuringALongTranslationCancelsItAndRecordsTheRun() throws Exception {
        Path in = Files.createDirectories(dir.resolve("in"));
        // Two extraction workers: the short note is ready (and translated) while the long one is still being read.
        Files.writeString(in.resolve("a.txt"), "A short note about the harbour.");
        StringBuilder big = new StringBuilder();
        for (int i = 0; i < 4000; i++) big.append("Paragraph ").append(i).append(" tells of ships, cargo and the weather on the river. ".repeat(4)).append("\n\n");
        Files.writeString(in.resolve("big.txt"), big);
        Path db = dir.resolve("db");
        // Markdown files: they are written from the stored translations even when the run stops (a file in its own
        // format needs the model again, and is left for the next run: docs/translation.md).
        Process run = start("translate", in.toString(), "--to", "de", "--from", "en", "--model", ModelCommandTest.GEMMA3.toString(),
                "--out", dir.resolve("out").toString(), "--db", db.toString(), "--progress-interval", "0", "--threads", "2", "--format", "md");
        awaitProgress(run);
        long stopped = System.nanoTime();
        run.destroy(); // SIGTERM
        assertThat(run.waitFor(55, TimeUnit.SECONDS)).as("ended within the shutdown's minute").isTrue();
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - stopped)).isLessThan(55);
        String out = Files.readString(dir.resolve("out.txt"));
        assertThat(out).contains("interrupted").contains("Wrote 1 translated files");
        assertThat(Files.exists(dir.resolve("out").resolve("a.txt.de.md"))).isTrue();
        JsonNode status = status(db);
        assertThat(status.get("last_run").get("status").asText()).isEqualTo("interrupted");
        assertThat(status.get("failed").asInt()).isZero();
    }

    @Test
    void killMinus9LosesNothingAndDuplicatesNothing() throws Exception {
        Path corpus = corpus();
        Path db = dir.resolve("db");
        Process run = start("summarize", corpus.toString(), "--db", db.toString(), "--progress-interval", "0");
        awaitProgress(run);
        run.destroyForcibly(); // SIGKILL: no shutdown hook, no clean close
        assertThat(run.waitFor(60, TimeUnit.SECONDS)).isTrue();

        Cli.Result resumed = Cli.run("summarize", corpus.toString(), "--db", db.toString());
        assertThat(resumed.exitCode()).as(resumed.toString()).isZero();
        // Run numbers stay consecutive after a kill (H2's identity cache would have made this run 33).
        assertThat(resumed.out()).contains("(run 2)");
        JsonNode end = status(db);
        assertThat(end.get("last_run").get("id").asInt()).isEqualTo(2);
        assertThat(end.get("documents").asInt()).as(() -> end + "\n" + oddSources(db)).isEqualTo(FILES);
        assertThat(end.get("outputs").asInt()).as(() -> end + "\n" + oddOutputs(db)).isEqualTo(FILES);
        assertThat(end.get("failed").asInt()).isZero();
    }

    /** For a failure message: documents with other than one final output, with each output's run and time. */
    private static String oddOutputs(Path db) {
        try (var c = java.sql.DriverManager.getConnection("jdbc:h2:file:" + db.toAbsolutePath(), "nightshift", "");
             var rs = c.createStatement().executeQuery("""
                     SELECT s.locator, d.id, d.sha256, o.id, o.run_id, o.created_at, o.finish_reason,
                            (SELECT COUNT(*) FROM extractions e WHERE e.document_id = d.id) FROM outputs o
                     JOIN documents d ON d.id = o.document_id JOIN sources s ON s.id = d.source_id
                     WHERE o.is_final AND s.id IN (SELECT d2.source_id FROM documents d2 JOIN outputs o2 ON o2.document_id = d2.id
                                                   WHERE o2.is_final GROUP BY d2.source_id HAVING COUNT(*) > 1)""")) {
            StringBuilder out = new StringBuilder("sources with more than one final output:");
            while (rs.next()) {
                out.append("\n  ").append(rs.getString(1)).append(" document=").append(rs.getLong(2)).append(" sha=")
                        .append(rs.getString(3), 0, 12).append(" output=").append(rs.getLong(4)).append(" run=").append(rs.getLong(5))
                        .append(" at=").append(rs.getString(6)).append(" finish=").append(rs.getString(7)).append(" extractions=").append(rs.getLong(8));
            }
            return out.toString();
        } catch (java.sql.SQLException e) {
            return "cannot list outputs: " + e;
        }
    }

    /** For a failure message: sources that are not one of the notes, or have other than one document. */
    private static String oddSources(Path db) {
        try (var c = java.sql.DriverManager.getConnection("jdbc:h2:file:" + db.toAbsolutePath(), "nightshift", "");
             var rs = c.createStatement().executeQuery("""
                     SELECT s.locator, COUNT(d.id), MAX(d.sha256) FROM sources s LEFT JOIN documents d ON d.source_id = s.id
                     GROUP BY s.id, s.locator HAVING COUNT(d.id) <> 1 OR s.locator NOT LIKE '%note-%'""")) {
            StringBuilder out = new StringBuilder("odd sources:");
            while (rs.next()) out.append("\n  ").append(rs.getString(1)).append(" documents=").append(rs.getLong(2));
            return out.toString();
        } catch (java.sql.SQLException e) {
            return "cannot list sources: " + e;
        }
    }

    @Test
    void aDatabaseHeldByAnotherProcessIsRefused() throws Exception {
        Path db = dir.resolve("db");
        List<String> command = List.of(javaBin(), "-cp", System.getProperty("java.class.path"), LockHolder.class.getName(), db.toString());
        Process holder = new ProcessBuilder(command).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            assertThat(out.readLine()).isEqualTo("locked");
            Cli.Result r = Cli.run("summarize", Path.of("..", "samples").toString(), "--db", db.toString());
            assertThat(r.exitCode()).isEqualTo(ExitCodes.RUN_FAILED);
            assertThat(r.err()).contains("in use by another nightshift (pid " + holder.pid());
        } finally {
            holder.getOutputStream().close();
            assertThat(holder.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(status(db).get("last_run").get("command").asText()).isEqualTo("summarize");
    }
}
