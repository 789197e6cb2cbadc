package dev.nightshift.jobs.read;

import dev.nightshift.jobs.Cli;
import dev.nightshift.jobs.cli.ExitCodes;
import dev.nightshift.jobs.model.ModelCommandTest;
import dev.nightshift.jobs.run.SummarizeCommandTest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nightshift.pipeline.store.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code nightshift ask} end to end on the samples with the tiny model: its words are nonsense (random
 * weights), so what is tested is the plumbing: retrieval, sources with paths and spans, the check, storage.
 */
class AskCommandTest {
    @TempDir
    Path dir;

    private String db() {
        return dir.resolve("db").toString();
    }

    @Test
    void answersWithSourcesChecksAndStoresTheAnswerWithLineage() throws Exception {
        assertThat(Cli.run("summarize", SummarizeCommandTest.SAMPLES.toString(), "--db", db()).exitCode()).isIn(0, 3);
        Cli.Result r = Cli.run("ask", "How much did Ms Okafor pay too much for heating?", "--db", db(), "--model",
                ModelCommandTest.GEMMA3.toString(), "--max-new-tokens", "24", "--format", "json");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        JsonNode a = new ObjectMapper().readTree(r.out());
        assertThat(a.get("not_found").asBoolean()).isFalse();
        JsonNode first = a.get("sources").get(0);
        assertThat(first.get("path").asText()).endsWith("heating-bill-correction.txt");
        assertThat(first.get("end").asInt()).isGreaterThan(first.get("start").asInt());
        assertThat(a.get("grounding").size()).isPositive();
        assertThat(a.get("grounding").get(0).get("supported").asBoolean()).isFalse(); // random weights
        long outputId = a.get("output_id").asLong();
        assertThat(outputId).isPositive();
        // Stored: an output of task answer, with the question, lineage to the chunks given, and its check.
        try (var c = java.sql.DriverManager.getConnection("jdbc:h2:file:" + db() + ";ACCESS_MODE_DATA=r", "nightshift", "")) {
            try (var rs = c.createStatement().executeQuery("SELECT task, question, document_id, "
                    + "(SELECT COUNT(*) FROM lineage WHERE output_id = o.id AND input_kind = 'chunk'), "
                    + "(SELECT COUNT(*) FROM groundings WHERE output_id = o.id) FROM outputs o WHERE id = " + outputId)) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("answer");
                assertThat(rs.getString(2)).startsWith("How much did Ms Okafor");
                assertThat(rs.getObject(3)).isNull();
                assertThat(rs.getInt(4)).isEqualTo(a.get("sources").size());
                assertThat(rs.getInt(5)).isEqualTo(a.get("grounding").size());
            }
        }
        Cli.Result text = Cli.run("ask", "heating meter", "--db", db(), "--model", ModelCommandTest.GEMMA3.toString(), "--max-new-tokens", "16");
        assertThat(text.out()).contains("Sources:").contains("[1] ").contains("chars ").contains("Checked against the cited sources")
                .contains("Stored as output");
    }

    @Test
    void nothingRelevantSaysNotFoundAndAnEmptyDatabaseToo() {
        Cli.run("summarize", SummarizeCommandTest.SAMPLES.resolve("letters").toString(), "--db", db());
        Cli.Result r = Cli.run("ask", "volcanic eruptions over Reykjavik", "--db", db(), "--model", ModelCommandTest.GEMMA3.toString());
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).startsWith("not found in the archive");
        Cli.run("summarize", Path.of("..", "samples", "broken", "empty.txt").toString(), "--db", dir.resolve("empty").toString());
        assertThat(Cli.run("ask", "anything at all", "--db", dir.resolve("empty").toString(), "--model",
                ModelCommandTest.GEMMA3.toString()).out()).startsWith("not found in the archive");
    }

    @Test
    void whileARunHoldsTheDatabaseItAnswersAndStoresNothing() {
        Cli.run("summarize", SummarizeCommandTest.SAMPLES.resolve("letters").toString(), "--db", db());
        try (Store held = Store.open(dir.resolve("db"), Clock.systemUTC())) {
            Cli.Result r = Cli.run("ask", "heating meter", "--db", db(), "--model", ModelCommandTest.GEMMA3.toString(), "--max-new-tokens", "8");
            assertThat(r.exitCode()).as(r.toString()).isZero();
            assertThat(r.err()).contains("the answer is not stored");
            assertThat(r.out()).contains("Sources:").doesNotContain("Stored as output");
        }
    }

    @Test
    void badQuestionsAreUsageErrors() {
        Cli.run("summarize", SummarizeCommandTest.SAMPLES.resolve("letters").toString(), "--db", db());
        assertThat(Cli.run("ask", "  ", "--db", db(), "--model", ModelCommandTest.GEMMA3.toString()).exitCode()).isEqualTo(ExitCodes.USAGE);
        Cli.Result tooLong = Cli.run("ask", "heating ".repeat(3000), "--db", db(), "--model", ModelCommandTest.GEMMA3.toString());
        assertThat(tooLong.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(tooLong.err()).contains("no room for sources");
        assertThat(Cli.run("ask", "x", "--db", db()).exitCode()).isEqualTo(ExitCodes.USAGE); // --model is required
    }
}
