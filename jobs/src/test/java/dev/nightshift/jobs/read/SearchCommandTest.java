package dev.nightshift.jobs.read;

import dev.nightshift.jobs.Cli;
import dev.nightshift.jobs.cli.ExitCodes;
import dev.nightshift.jobs.run.SummarizeCommandTest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Search over a summarized folder: ranking, the query syntax, the index following the database. */
class SearchCommandTest {
    @TempDir
    Path dir;

    private String db() {
        return dir.resolve("db").toString();
    }

    @Test
    void findsWordsPhrasesPrefixesAndFieldsWithTheirSpans() throws Exception {
        assertThat(Cli.run("summarize", SummarizeCommandTest.SAMPLES.toString(), "--db", db()).exitCode()).isEqualTo(ExitCodes.SOME_FAILED);
        assertThat(Files.isDirectory(Path.of(db() + ".search"))).as("the index lives beside the database").isTrue();

        Cli.Result words = Cli.run("search", "heat pumps", "--db", db(), "--limit", "3");
        assertThat(words.exitCode()).as(words.toString()).isZero();
        // The annual report's chunk ranks first, with its span and the words marked.
        assertThat(words.out().lines().findFirst().orElseThrow()).endsWith("reports/library-annual-report.pdf");
        assertThat(words.out()).contains("chunk 0, chars [").contains("«heat» «pumps»");

        JsonNode phrase = json(Cli.run("search", "\"speed limit\" AND path:mail", "--db", db(), "--format", "json"));
        assertThat(phrase).isNotEmpty().allSatisfy(h -> assertThat(h.get("path").asText()).contains("/mail/"));
        assertThat(phrase.get(0).get("snippet").asText()).contains("«speed» «limit»");
        // A chunk's hit carries its span (the mail's summary may rank above its chunk: it says the same, shorter).
        assertThat(phrase).anySatisfy(h -> assertThat(h.get("kind").asText()).isEqualTo("chunk"))
                .filteredOn(h -> h.get("kind").asText().equals("chunk")).allSatisfy(h -> assertThat(h.has("char_start")).isTrue());

        JsonNode german = json(Cli.run("search", "lang:de AND Schiff*", "--db", db(), "--format", "json"));
        assertThat(german).isNotEmpty().allSatisfy(h -> {
            assertThat(h.get("path").asText()).endsWith("de/rhein-wasserstrasse.txt");
            assertThat(h.get("language").asText()).isEqualTo("de");
        });
        // English stemming: "libraries" finds "library".
        assertThat(json(Cli.run("search", "libraries", "--db", db(), "--format", "json")))
                .anySatisfy(h -> assertThat(h.get("path").asText()).endsWith("library-annual-report.pdf"));
        assertThat(json(Cli.run("search", "type:pdf", "--db", db(), "--format", "json")))
                .allSatisfy(h -> assertThat(h.get("media_type").asText()).isEqualTo("application/pdf"));
        assertThat(json(Cli.run("search", "kind:output AND library", "--db", db(), "--format", "json")))
                .isNotEmpty().allSatisfy(h -> assertThat(h.get("task").asText()).isEqualTo("summary"));

        assertThat(Cli.run("search", "zebra crossing kangaroo", "--db", db()).out()).contains("nothing found");
        Cli.Result bad = Cli.run("search", "a:\"", "--db", db());
        assertThat(bad.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(bad.err()).contains("cannot read the query");
    }

    @Test
    void theIndexCatchesUpWithTheDatabaseAndRebuilds() throws Exception {
        Cli.run("summarize", SummarizeCommandTest.SAMPLES.resolve("letters").toString(), "--db", db());
        // An index lost or left behind (a run killed before its last index commit) is brought up to date.
        deleteTree(Path.of(db() + ".search"));
        assertThat(json(Cli.run("search", "meter", "--db", db(), "--format", "json"))).isNotEmpty();
        Cli.Result rebuilt = Cli.run("search", "--rebuild", "--db", db());
        assertThat(rebuilt.exitCode()).isZero();
        assertThat(rebuilt.err()).contains("search index rebuilt: 1 documents");
        // A damaged index (a segment file cut short) is rebuilt with a note.
        try (var files = Files.list(Path.of(db() + ".search"))) {
            for (Path f : files.filter(f -> f.getFileName().toString().startsWith("segments")).toList()) Files.write(f, new byte[] {1, 2, 3});
        }
        Cli.Result repaired = Cli.run("search", "meter", "--db", db(), "--format", "json");
        assertThat(repaired.err()).contains("could not be read").contains("rebuilt from the database");
        assertThat(new ObjectMapper().readTree(repaired.out())).isNotEmpty();
        // A second run adds its documents to the same index.
        Cli.run("summarize", SummarizeCommandTest.SAMPLES.resolve("de").toString(), "--db", db());
        assertThat(json(Cli.run("search", "Rhein", "--db", db(), "--format", "json"))).isNotEmpty();
        assertThat(Cli.run("search", "meter", "--db", dir.resolve("none").toString()).exitCode()).isEqualTo(ExitCodes.USAGE);
        // A new task's output for an unchanged document is indexed too (the document gained a row).
        String query = "kind:output AND meter AND path:letters";
        assertThat(json(Cli.run("search", query, "--db", db(), "--format", "json"))).hasSize(1);
        Cli.run("summarize", SummarizeCommandTest.SAMPLES.resolve("letters").toString(), "--db", db(), "--words", "30");
        assertThat(json(Cli.run("search", query, "--db", db(), "--format", "json"))).hasSize(2);
    }

    private static JsonNode json(Cli.Result r) throws Exception {
        assertThat(r.exitCode()).as(r.toString()).isZero();
        return new ObjectMapper().readTree(r.out());
    }

    private static void deleteTree(Path p) throws Exception {
        try (var walk = Files.walk(p)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
