package dev.nightshift.jobs.run;

import dev.nightshift.jobs.Cli;
import dev.nightshift.jobs.cli.DataLayout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nightshift.pipeline.store.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** The reading commands while a run holds the database: they read what it has committed, and status shows the run. */
class LiveViewTest {
    @TempDir
    Path dir;

    @Test
    void statusShowAndSearchReadACopyWhileARunHoldsTheDatabase() throws Exception {
        String db = dir.resolve("db").toString();
        assertThat(Cli.run("summarize", SummarizeCommandTest.SAMPLES.resolve("letters").toString(), "--db", db).exitCode()).isZero();
        // A run holds the database (as summarize does) and says where it stands beside it.
        try (Store held = Store.open(dir.resolve("db"), Clock.systemUTC())) {
            Files.writeString(DataLayout.of(dir.resolve("db")).runState(), """
                    {"updated_at": "%s", "files_done": 3, "files_total": 9, "line": "3/9 files (1.0 kB of 4.0 kB), 1 failed, 0 skipped, 5.0 s elapsed",
                     "recent_failures": [{"path": "/data/bad\\u001b[31m.pdf", "reason": "PARSE_ERROR: broken"}]}
                    """.formatted(Instant.now()));

            Cli.Result status = Cli.run("status", "--db", db);
            assertThat(status.exitCode()).as(status.toString()).isZero();
            assertThat(status.out()).contains("documents  1").contains("running    3/9 files")
                    .contains("failed: /data/bad\\x1b[31m.pdf: PARSE_ERROR: broken"); // the escape is shown, not obeyed
            JsonNode json = new ObjectMapper().readTree(Cli.run("status", "--db", db, "--format", "json").out());
            assertThat(json.get("run_in_progress").get("files_done").asInt()).isEqualTo(3);

            Cli.Result show = Cli.run("show", "heating-bill-correction.txt", "--db", db);
            assertThat(show.exitCode()).as(show.toString()).isZero();
            assertThat(show.out()).contains("summary (level");
            Cli.Result search = Cli.run("search", "meter", "--db", db);
            assertThat(search.exitCode()).isZero();
            assertThat(search.out()).contains("heating-bill-correction.txt");
            assertThat(search.err()).contains("a run is using the database");
        }
        // A stale status file (a run killed long ago) is not a run in progress.
        Files.writeString(DataLayout.of(dir.resolve("db")).runState(),
                "{\"updated_at\": \"" + Instant.now().minusSeconds(600) + "\", \"line\": \"old\"}");
        assertThat(Cli.run("status", "--db", db).out()).doesNotContain("running");
    }
}
