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

class GroundCommandTest {
    @TempDir
    Path dir;

    static final Path LETTER = SummarizeCommandTest.SAMPLES.resolve("letters/heating-bill-correction.txt");

    @Test
    void printsEachSentenceWithItsEvidenceAndWhatWasNotFound() throws Exception {
        Path claims = Files.writeString(dir.resolve("claims.txt"), "She paid 312 euros too much.\nShe paid 321 euros too much.\n");
        Cli.Result text = Cli.run("ground", LETTER.toString(), "--claims", claims.toString());
        assertThat(text.exitCode()).as(text.toString()).isEqualTo(ExitCodes.SOME_FAILED);
        assertThat(text.out()).contains("supported    1.00  She paid 312 euros too much.").contains("UNSUPPORTED")
                .contains("not found: number:321").contains("[410-531] Your actual consumption").contains("2 sentences, 1 not supported");

        Cli.Result json = Cli.run("ground", LETTER.toString(), "--claims", claims.toString(), "--format", "json");
        JsonNode rows = new ObjectMapper().readTree(json.out());
        assertThat(rows).hasSize(2);
        JsonNode first = rows.get(0);
        assertThat(first.get("sentence").asText()).isEqualTo("She paid 312 euros too much.");
        assertThat(first.get("supported").asBoolean()).isTrue();
        assertThat(first.get("score").asDouble()).isEqualTo(1.0);
        // Offsets are into the extracted text (what show and get_text cite), the text is the span itself.
        JsonNode e = first.get("evidence").get(0);
        assertThat(e.get("end").asInt() - e.get("start").asInt()).isEqualTo(e.get("text").asText().length());
        assertThat(Files.readString(LETTER)).contains(e.get("text").asText());
        assertThat(rows.get(1).get("flags").get(0).asText()).isEqualTo("number:321");

        Path good = Files.writeString(dir.resolve("good.txt"), "The meter was replaced in October.");
        assertThat(Cli.run("ground", LETTER.toString(), "--claims", good.toString()).exitCode()).isZero();
    }

    @Test
    void badInputIsAClearUsageError() throws Exception {
        Path claims = Files.writeString(dir.resolve("claims.txt"), "Anything.");
        Cli.Result missing = Cli.run("ground", dir.resolve("nope.pdf").toString(), "--claims", claims.toString());
        assertThat(missing.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(missing.err()).contains("no such file");
        assertThat(Cli.run("ground", LETTER.toString(), "--claims", dir.resolve("none.txt").toString()).err()).contains("no such file of claims");
        Cli.Result empty = Cli.run("ground", SummarizeCommandTest.SAMPLES.resolve("broken/empty.txt").toString(), "--claims", claims.toString());
        assertThat(empty.exitCode()).isEqualTo(ExitCodes.SOME_FAILED);
        assertThat(empty.err()).contains("no text in");
    }

    /** bench ground: one line per round in the agreed format, the same verdicts as ground. */
    @Test
    void benchGroundTimesTheIndexAndTheCheck() throws Exception {
        Path claims = Files.writeString(dir.resolve("claims.txt"), "She paid 312 euros too much.\nShe paid 321 euros too much.\n");
        Cli.Result r = Cli.run("bench", "ground", LETTER.toString(), "--claims", claims.toString(), "--rounds", "2");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out().strip().lines()).hasSize(2).allSatisfy(line -> assertThat(line)
                .matches("round=\\d source_chars=\\d+ sentences=2 index_ms=\\d+ check_ms=\\d+ total_ms=\\d+ unsupported=1"));
    }
}
