package dev.nightshift.jobs.model;

import dev.nightshift.jobs.Cli;
import dev.nightshift.jobs.cli.ExitCodes;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

public class ModelCommandTest {
    public static final Path MODELS = Path.of("..", "pipeline", "src", "test", "resources", "models").toAbsolutePath().normalize();
    public static final Path GEMMA3 = MODELS.resolve("tiny-gemma3");
    public static final Path GEMMA4 = MODELS.resolve("tiny-gemma4");
    static final Path GQA = MODELS.resolve("tiny-gemma3-gqa");

    @TempDir
    Path dir;

    @Test
    void verifyMatchesBothFixturesAndSaysSo() {
        Cli.Result g3 = Cli.run("model", "verify", GEMMA3.toString(), "--dtype", "fp32");
        assertThat(g3.exitCode()).as(g3.toString()).isZero();
        assertThat(g3.out()).contains("type       gemma3_text, 4 layers").contains("KV pairs   4")
                .contains("layout     left-padded: the graph's attention reads the mask slot by slot")
                .contains("reference: 4/4 cases match (generated (fp32))")
                .contains("batch: 2 rows generated together (left-padded) match transformers' batch")
                .contains("joined: 2 rows joining a running batch one step apart (left-padded) match each row alone");
        Cli.Result g4 = Cli.run("model", "verify", GEMMA4.toString());
        assertThat(g4.exitCode()).as(g4.toString()).isZero();
        assertThat(g4.out()).contains("gemma4_text, 6 layers").contains("[2 heads x 32]").contains("reference: 4/4 cases match");
        Cli.Result q4 = Cli.run("model", "verify", GEMMA3.toString(), "--dtype", "q4");
        assertThat(q4.out()).contains("reference: 4/4 cases match (quantized[model_q4.onnx])")
                .contains("batch: 2 rows generated together (left-padded) match each row alone");
    }

    /** The fused-attention family (built like the public exports) is batched right-aligned, and verify says why. */
    @Test
    void verifyChecksTheFusedFamilysBatchInEveryPrecision() {
        for (String dtype : List.of("fp32", "q4")) {
            Cli.Result r = Cli.run("model", "verify", GQA.toString(), "--dtype", dtype);
            assertThat(r.exitCode()).as(r.toString()).isZero();
            assertThat(r.out()).contains("layout     right-aligned: the graph's GroupQueryAttention reads each row's length from the mask")
                    .contains("reference: 4/4 cases match")
                    .contains("batch: 2 rows generated together (right-aligned) match "
                            + (dtype.equals("fp32") ? "transformers' batch" : "each row alone"))
                    .contains("joined: 2 rows joining a running batch one step apart (right-aligned) match each row alone");
        }
    }

    @Test
    void verifyNamesTheFirstDifferenceAndFails() throws Exception {
        Path copy = dir.resolve("tiny-gemma3");
        try (var files = Files.walk(GEMMA3)) {
            for (Path p : files.toList()) {
                Path t = copy.resolve(GEMMA3.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(t); else Files.copy(p, t);
            }
        }
        // Tamper with one expected token of one case.
        String ref = Files.readString(copy.resolve("reference.json"));
        Files.writeString(copy.resolve("reference.json"), ref.replaceFirst("\"generated\": \\[\\s*403,", "\"generated\": [404,"));
        Cli.Result r = Cli.run("model", "verify", copy.toString(), "--dtype", "fp32");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.RUN_FAILED);
        assertThat(r.out()).contains("case summarize_short: MISMATCH").contains("first differing token at position 0: expected 404, got 403")
                .contains("reference: 3/4 cases match");
    }

    @Test
    void badModelFoldersAndOptionsGetClearMessages() {
        // A folder that is not a model and a folder that does not exist are both usage errors.
        Cli.Result notModel = Cli.run("model", "verify", dir.toString());
        assertThat(notModel.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(notModel.err()).contains("not a model folder").contains("config.json");
        Cli.Result missing = Cli.run("model", "verify", dir.resolve("nope").toString());
        assertThat(missing.exitCode()).isEqualTo(ExitCodes.USAGE);
        Cli.Result dtype = Cli.run("model", "verify", GEMMA3.toString(), "--dtype", "int2");
        assertThat(dtype.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(dtype.err()).contains("unknown dtype 'int2'");
    }

    @Test
    void generateStreamsTextAndReportsTokens() {
        Cli.Result r = Cli.run("model", "generate", GEMMA3.toString(), "--dtype", "fp32", "--prompt", "Hello", "--max-new-tokens", "5");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).isNotBlank();
        assertThat(r.err()).containsPattern("\\d+ prompt tokens, 5 generated \\(length\\)");
        Cli.Result seeded1 = Cli.run("model", "generate", GEMMA3.toString(), "--prompt", "Hi", "--max-new-tokens", "8",
                "--temperature", "0.8", "--top-k", "50", "--seed", "7");
        Cli.Result seeded2 = Cli.run("model", "generate", GEMMA3.toString(), "--prompt", "Hi", "--max-new-tokens", "8",
                "--temperature", "0.8", "--top-k", "50", "--seed", "7");
        assertThat(seeded1.out()).isEqualTo(seeded2.out());
        assertThat(Cli.run("model", "generate", GEMMA3.toString(), "--prompt", "x", "--top-p", "0").exitCode()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void benchPrintsOneLineInTheAgreedFormat() {
        Cli.Result r = Cli.run("bench", "generate", GEMMA3.toString(), "--dtype", "fp32", "--batch", "2", "--prompt-tokens", "16",
                "--new-tokens", "8", "--repeat", "1", "--warmup-seconds", "0");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out().strip()).matches("batch=2 prompt_tokens=16 new_tokens=8 prefill_tok_s=\\d+\\.\\d decode_tok_s=\\d+\\.\\d overhead_pct=\\d+\\.\\d\\d");
    }

    /** bench run: the real job on a temporary database, then the ceiling, in one line; nothing left behind. */
    @Test
    void benchRunComparesTheJobWithTheCeiling() throws Exception {
        Path docs = Files.createDirectories(dir.resolve("docs"));
        Files.writeString(docs.resolve("a.txt"), "Rivers carry ships. Ships carry goods to harbours. Harbours have cranes.");
        Files.writeString(docs.resolve("b.txt"), "Mountains are high. Some have snow all year. Snow melts in spring.");
        Cli.Result r = Cli.run("bench", "run", docs.toString(), "--model", GEMMA3.toString(), "--dtype", "fp32", "--batch", "2",
                "--words", "5");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out().strip()).matches("documents=2 outputs=2 generated_tokens=\\d+ seconds=\\d+\\.\\d gen_tok_s=\\d+\\.\\d "
                + "ceiling_tok_s=\\d+\\.\\d efficiency=\\d+\\.\\d\\d \\(batch=2 mean_prompt=\\d+ mean_output=\\d+\\)");
        try (var left = Files.list(docs)) {
            assertThat(left).hasSize(2);
        }
    }

    @Test
    void summarizeWithAModelStoresModelOutputsWithLineage() throws Exception {
        Path db = dir.resolve("db");
        Path samples = Path.of("..", "samples").toAbsolutePath().normalize();
        Cli.Result r = Cli.run("summarize", samples.resolve("letters").toString(), samples.resolve("de").toString(),
                "--db", db.toString(), "--model", GEMMA3.toString(), "--dtype", "fp32", "--words", "20");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("summarized          2");
        // Random weights write nonsense: every model-made output is checked, and none is supported.
        assertThat(r.out()).containsPattern("unsupported +2 +\\(of 2 model-made outputs checked");
        Cli.Result export = Cli.run("export", "--format", "jsonl", "--db", db.toString());
        assertThat(export.out().lines()).hasSize(2).allSatisfy(line -> assertThat(line)
                .contains("\"method\":\"model\"").contains("tiny-gemma3").contains("\"prompt_name\":\"summarize-chunk+summarize-combine\"")
                .contains("\"prompt_version\":\"2+2\"").containsPattern("\"generated_tokens\":[1-9]")
                .contains("\"grounding_checker\":\"" + dev.nightshift.pipeline.ground.GroundingCheck.VERSION + "\"").containsPattern("\"unsupported_sentences\":[1-9]")
                .contains("\"grounding\":[{\"sentence\":").contains("\"supported\":false"));
        Cli.Result show = Cli.run("show", "heating-bill-correction.txt", "--db", db.toString());
        assertThat(show.out()).containsPattern("grounding \\(" + dev.nightshift.pipeline.ground.GroundingCheck.VERSION + "\\): 0 of [1-9]\\d* sentences supported by the source")
                .contains("✗").contains("not found: words");
        Cli.Result md = Cli.run("export", "--format", "md", "--db", db.toString());
        assertThat(md.out()).contains("Not supported by the source (");
        // Extractive summaries are the source's own sentences: not checked, no grounding fields.
        Cli.Result extractiveDb = Cli.run("summarize", samples.resolve("letters").toString(), "--db", dir.resolve("textrank").toString());
        assertThat(extractiveDb.out()).doesNotContain("unsupported");
        assertThat(Cli.run("export", "--format", "jsonl", "--db", dir.resolve("textrank").toString()).out())
                .contains("\"unsupported_sentences\":null").doesNotContain("\"grounding\":");
        Cli.Result again = Cli.run("summarize", samples.resolve("letters").toString(), samples.resolve("de").toString(),
                "--db", db.toString(), "--model", GEMMA3.toString(), "--dtype", "fp32", "--words", "20");
        assertThat(again.out()).contains("skipped (unchanged) 2");
        // A different task (extractive) on the same documents is new work, not a skip.
        Cli.Result extractive = Cli.run("summarize", samples.resolve("letters").toString(), "--db", db.toString());
        assertThat(extractive.out()).contains("summarized          1");
    }

    @Test
    void identicalChunksAreGeneratedOnceAcrossDocumentsAndRuns() throws Exception {
        Path db = dir.resolve("db");
        Path docs = Files.createDirectories(dir.resolve("docs"));
        String letter = Files.readString(Path.of("..", "samples", "letters", "heating-bill-correction.txt"));
        Files.writeString(docs.resolve("original.txt"), letter);
        Files.writeString(docs.resolve("copy-filed-twice.txt"), letter);
        Cli.Result r = Cli.run("summarize", docs.toString(), "--db", db.toString(), "--model", GEMMA3.toString(),
                "--dtype", "fp32", "--words", "20", "--threads", "1");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        List<String> lines = Cli.run("export", "--format", "jsonl", "--db", db.toString()).out().lines().toList();
        assertThat(lines).hasSize(2);
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        var first = json.readTree(lines.get(0));
        var second = json.readTree(lines.get(1));
        assertThat(second.get("text").asText()).isEqualTo(first.get("text").asText());
        assertThat(List.of(first.get("finish_reason").asText(), second.get("finish_reason").asText())).contains("cached");
        assertThat(first.get("generated_tokens").asInt() + second.get("generated_tokens").asInt())
                .isEqualTo(Math.max(first.get("generated_tokens").asInt(), second.get("generated_tokens").asInt()));

        // A new file with the same bytes in a later run: the whole summary is copied, with lineage to the first.
        Files.writeString(docs.resolve("third.txt"), letter);
        Cli.run("summarize", docs.toString(), "--db", db.toString(), "--model", GEMMA3.toString(), "--dtype", "fp32", "--words", "20");
        List<String> all = Cli.run("export", "--format", "jsonl", "--db", db.toString()).out().lines().toList();
        assertThat(all).hasSize(3);
        var third = json.readTree(all.get(2));
        assertThat(third.get("finish_reason").asText()).isEqualTo("reused");
        assertThat(third.get("text").asText()).isEqualTo(first.get("text").asText());
        assertThat(third.get("generated_tokens").asInt()).isZero();
    }

    @Test
    void pullDownloadsAFolderThatThenVerifies() throws Exception {
        try (var hub = new dev.nightshift.pipeline.llm.hub.FakeHub(GEMMA3)) {
            Path target = dir.resolve("pulled");
            Cli.Result r = Cli.run("model", "pull", dev.nightshift.pipeline.llm.hub.FakeHub.REPO, "--dtype", "q8",
                    "--dir", target.toString(), "--endpoint", hub.endpoint().toString());
            assertThat(r.exitCode()).as(r.toString()).isZero();
            assertThat(r.err()).contains("onnx/model_quantized.onnx").contains("model verify");
            assertThat(target.resolve("onnx/model_quantized.onnx")).exists();
            assertThat(target.resolve("onnx/model.onnx")).doesNotExist();
            Cli.Result verify = Cli.run("model", "verify", target.toString(), "--dtype", "q8");
            assertThat(verify.exitCode()).as(verify.toString()).isZero();
            assertThat(verify.out()).contains("reference: none");
            Cli.Result missing = Cli.run("model", "pull", "nobody/nothing", "--endpoint", hub.endpoint().toString(), "--dir", target.toString());
            assertThat(missing.exitCode()).isEqualTo(ExitCodes.RUN_FAILED);
            assertThat(missing.err()).contains("no model nobody/nothing");
        }
    }

    @Test
    void summarizeWithABrokenModelFailsBeforeTouchingTheDatabase() {
        Path db = dir.resolve("db");
        Cli.Result r = Cli.run("summarize", Path.of("..", "samples").toString(), "--db", db.toString(), "--model", dir.toString());
        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("not a model folder");
        assertThat(db.resolveSibling("db.mv.db")).doesNotExist();
    }
}
