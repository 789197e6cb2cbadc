package dev.nightshift.jobs.run;

import dev.nightshift.jobs.Cli;
import dev.nightshift.jobs.cli.ExitCodes;
import dev.nightshift.jobs.model.ModelCommandTest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nightshift.pipeline.store.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The commands as a user runs them, on samples/ and on bad input. */
public class SummarizeCommandTest {
    public static final Path SAMPLES = Path.of("..", "samples").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    private String db() {
        return dir.resolve("db").toString();
    }

    @Test
    void summarizesTheSamplesThenSkipsThemAndExportsProvenance() throws Exception {
        Cli.Result first = Cli.run("summarize", SAMPLES.toString(), "--db", db());
        assertThat(first.exitCode()).as(first.toString()).isEqualTo(ExitCodes.SOME_FAILED);
        assertThat(first.out()).contains("documents seen      20").contains("found inside them   5")
                .contains("extracted           19").contains("summarized          18").contains("images              4")
                .contains("failed              2").contains("corrupt-report.pdf").contains("PARSE_ERROR")
                .contains("empty.txt").contains("EMPTY: the file is empty (0 bytes)")
                .contains("nightshift show FILE --db");

        Cli.Result second = Cli.run("summarize", SAMPLES.toString(), "--db", db());
        assertThat(second.exitCode()).as(second.toString()).isEqualTo(ExitCodes.OK);
        assertThat(second.out()).contains("skipped (unchanged) 20").contains("summarized          0");

        Cli.Result status = Cli.run("status", "--db", db(), "--format", "json");
        assertThat(status.exitCode()).isZero();
        JsonNode json = new ObjectMapper().readTree(status.out());
        // 20 files, and inside them 5 more documents: an attachment, two archive entries and a report's two pictures.
        assertThat(json.get("files").asInt()).isEqualTo(20);
        assertThat(json.get("entries").asInt()).isEqualTo(5);
        assertThat(json.get("documents").asInt()).isEqualTo(25);
        assertThat(json.get("extracted").asInt()).isEqualTo(19);
        assertThat(json.get("images").asInt()).isEqualTo(4);
        assertThat(json.get("failed").asInt()).isEqualTo(2);
        assertThat(json.get("outputs").asInt()).isEqualTo(18);
        assertThat(json.get("skipped").asInt()).isEqualTo(20);

        Cli.Result export = Cli.run("export", "--format", "jsonl", "--db", db());
        assertThat(export.exitCode()).isZero();
        List<String> lines = export.out().lines().toList();
        assertThat(lines).hasSize(18);
        assertThat(export.out()).contains("two-documents.zip!/letters/heating-bill-correction.txt")
                .contains("council-minutes.eml!/minutes-14-march.txt");
        ObjectMapper mapper = new ObjectMapper();
        for (String line : lines) {
            JsonNode r = mapper.readTree(line);
            assertThat(r.get("source_path").asText()).startsWith(SAMPLES.toString());
            assertThat(r.get("document_sha256").asText()).hasSize(64);
            assertThat(r.get("extraction_parser").asText()).startsWith("org.apache.tika.parser");
            assertThat(r.get("chunk_span").asText()).matches("0:\\[\\d+,\\d+\\).*");
            assertThat(r.get("method").asText()).isEqualTo("extractive");
            assertThat(r.get("parameters").asText()).contains("algorithm=textrank-v3");
            assertThat(r.get("run_id").asInt()).isEqualTo(1);
            assertThat(r.get("text").asText()).isNotBlank();
        }

        Path csv = dir.resolve("out/export.csv");
        Cli.Result toFile = Cli.run("export", "--format", "csv", "--db", db(), "--out", csv.toString());
        assertThat(toFile.exitCode()).isZero();
        assertThat(toFile.err()).contains("exported 18 outputs");
        assertThat(Files.readString(csv)).startsWith("output_id,run_id,source_path");

        // Parquet, read with Parquet's reference reader: the JSONL export's records, typed.
        Path parquet = dir.resolve("out/export.parquet");
        assertThat(Cli.run("export", "--format", "parquet", "--db", db(), "--out", parquet.toString()).err()).contains("exported 18 outputs");
        dev.nightshift.jobs.ParquetRows table = dev.nightshift.jobs.ParquetRows.read(parquet);
        assertThat(table.rows()).hasSize(18);
        assertThat(table.columns().getType("document_size").asPrimitiveType().getPrimitiveTypeName())
                .isEqualTo(org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.INT64);
        for (int i = 0; i < lines.size(); i++) {
            JsonNode r = mapper.readTree(lines.get(i));
            var row = table.rows().get(i);
            assertThat(row.getLong("output_id", 0)).isEqualTo(r.get("output_id").asLong());
            assertThat(row.getString("source_path", 0)).isEqualTo(r.get("source_path").asText());
            assertThat(row.getLong("document_size", 0)).isEqualTo(r.get("document_size").asLong());
            assertThat(row.getBoolean("final", 0)).isEqualTo(r.get("final").asBoolean());
            assertThat(row.getString("text", 0)).isEqualTo(r.get("text").asText());
        }

        Cli.Result md = Cli.run("export", "--format", "md", "--db", db());
        assertThat(md.out()).contains("## " + SAMPLES.resolve("de/rhein-wasserstrasse.txt")).contains("- language: `de`");
    }

    /**
     * The samples' zip and mail on one database under three tasks (extractive at two lengths, then two
     * models): each new task summarizes the zip's entries and the mail's attachment, not only what the
     * unchanged files hold themselves.
     */
    @Test
    void eachNewTaskSummarizesTheDocumentsInsideUnchangedArchivesAndMails() throws Exception {
        Path in = Files.createDirectories(dir.resolve("in"));
        Files.copy(SAMPLES.resolve("archive/two-documents.zip"), in.resolve("two-documents.zip"));
        Files.copy(SAMPLES.resolve("mail/council-minutes.eml"), in.resolve("council-minutes.eml"));
        List<List<String>> tasks = List.of(List.of(), List.of("--words", "30"),
                List.of("--words", "10", "--model", ModelCommandTest.GEMMA3.toString()),
                List.of("--words", "10", "--model", ModelCommandTest.GEMMA4.toString()));
        for (List<String> task : tasks) {
            List<String> args = new java.util.ArrayList<>(List.of("summarize", in.toString(), "--db", db()));
            args.addAll(task);
            Cli.Result r = Cli.run(args.toArray(String[]::new));
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.OK);
            // The mail's body, its attachment and the zip's two entries.
            assertThat(r.out()).as(task.toString()).contains("found inside them   3").contains("summarized          4");
            Cli.Result again = Cli.run(args.toArray(String[]::new));
            assertThat(again.out()).as(task.toString()).contains("skipped (unchanged) 2").contains("summarized          0");
        }
        Cli.Result export = Cli.run("export", "--format", "jsonl", "--db", db());
        assertThat(export.out().lines()).hasSize(4 * tasks.size());
        assertThat(export.out().lines().filter(l -> l.contains("two-documents.zip!/letters/heating-bill-correction.txt")))
                .hasSize(tasks.size());
    }

    /**
     * Six notes summarized with --batch 4 and with --batch 1 give the same summaries, token for token, in
     * both export families (torch.onnx left-padded, fused attention right-aligned): the notes' prompts
     * differ in length, so rows are padded to each other, and with more notes than rows later ones join a
     * running batch.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"tiny-gemma3", "tiny-gemma3-gqa"})
    void aBatchWritesWhatOneRowAtATimeWrites(String model) throws Exception {
        Path in = Files.createDirectories(dir.resolve("notes"));
        String[] notes = {"The roof was repaired on Monday.",
                "Heating costs for the winter were corrected after the meter was read again by the landlord.",
                "Bees.", "The council met on Tuesday and approved the budget for the library, the pool and the new bus line.",
                "Rivers carry ships and goods between the harbours of the north.", "Snow fell."};
        for (int i = 0; i < notes.length; i++) Files.writeString(in.resolve("note-" + i + ".txt"), notes[i] + "\n");
        java.util.Map<String, String> byBatch = new java.util.TreeMap<>();
        for (String batch : List.of("1", "4")) {
            String db = dir.resolve("db-" + batch).toString();
            Cli.Result r = Cli.run("summarize", in.toString(), "--db", db, "--model", ModelCommandTest.MODELS.resolve(model).toString(),
                    "--batch", batch, "--words", "12");
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.OK);
            ObjectMapper mapper = new ObjectMapper();
            java.util.Map<String, String> texts = new java.util.TreeMap<>();
            for (String line : Cli.run("export", "--format", "jsonl", "--all-levels", "--db", db).out().lines().toList()) {
                JsonNode o = mapper.readTree(line);
                texts.put(o.get("source_path").asText() + " " + o.get("level").asText(), o.get("text").asText());
            }
            assertThat(texts).as("batch " + batch).hasSizeGreaterThanOrEqualTo(notes.length);
            byBatch.put(batch, texts.toString());
        }
        assertThat(byBatch.get("4")).isEqualTo(byBatch.get("1"));
    }

    /** A graph whose rows change each other in any batch (dynamic int8) runs one row at a time, and the summary says so. */
    @Test
    void aModelThatCannotBatchSaysSoInTheSummary() throws Exception {
        Path in = Files.createDirectories(dir.resolve("two"));
        Files.writeString(in.resolve("a.txt"), "The roof was repaired on Monday.\n");
        Files.writeString(in.resolve("b.txt"), "Snow fell in the north.\n");
        Cli.Result r = Cli.run("summarize", in.toString(), "--db", db(), "--model", ModelCommandTest.GEMMA3.toString(), "--dtype", "q8",
                "--words", "8");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.OK);
        assertThat(r.out()).contains("summarized          2")
                .contains("note: tiny-gemma3 (q8) ran one row at a time: its graph's rows change each other's numbers in any batch");
    }

    /**
     * A 50 MB text without line breaks is cut at the write limit: the run says so, lists it, exits 3,
     * and its summary stays within the word budget in characters too.
     */
    @Test
    void aTextCutAtTheWriteLimitIsCountedListedAndMakesTheExitCodeThree() throws Exception {
        Path in = Files.createDirectories(dir.resolve("in"));
        Path big = in.resolve("one-line.log");
        try (var out = Files.newBufferedWriter(big)) {
            String words = "status=ok request=GET path=/archive/index latency_ms=12 user=anonymous region=eu-west ";
            for (long written = 0; written < 50_000_000L; written += words.length()) out.write(words);
        }
        Cli.Result r = Cli.run("summarize", in.toString(), "--db", db());
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.SOME_FAILED);
        assertThat(r.out()).contains("text cut off        1").contains("failed              0")
                .contains("Documents whose text was cut off").contains("one-line.log").contains("write limit");
        Cli.Result partial = Cli.run("failures", "--db", db(), "--reason", "PARTIAL", "--format", "json");
        assertThat(new ObjectMapper().readTree(partial.out())).singleElement()
                .satisfies(f -> assertThat(f.get("reason").asText()).contains("characters kept from a file of"));
        String summary = new ObjectMapper().readTree(Cli.run("export", "--format", "jsonl", "--db", db()).out().strip()).get("text").asText();
        assertThat(summary.length()).isLessThanOrEqualTo(120 * 10 + 2);
    }

    @Test
    void showPrintsTheLineageTree() {
        Cli.run("summarize", SAMPLES.resolve("letters").toString(), SAMPLES.resolve("broken").toString(), "--db", db());
        Cli.Result show = Cli.run("show", "heating-bill-correction.txt", "--db", db());
        assertThat(show.exitCode()).as(show.toString()).isZero();
        assertThat(show.out()).containsPattern("^document \\d+  .*heating-bill-correction.txt").contains("sha256 ").contains("└── extraction")
                .contains("SUCCESS").contains("output ").contains("summary (level 0)").contains("chunk 0").containsPattern("chars \\[\\d+, \\d+\\)");
        Cli.Result failed = Cli.run("show", SAMPLES.resolve("broken/corrupt-report.pdf").toString(), "--db", db());
        assertThat(failed.out()).contains("PARSE_ERROR").contains("reason:");
        Cli.Result none = Cli.run("show", "no-such-file.txt", "--db", db());
        assertThat(none.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(none.err()).contains("nothing stored for no-such-file.txt");
    }

    /** A NOT_TEXT verdict keeps the text to look at, and {@code --accept-not-text} overrules it on the next run. */
    @Test
    void textJudgedNotTextIsKeptAndCanBeReadAsText() throws Exception {
        Path in = Files.createDirectories(dir.resolve("in"));
        byte[] payload = new byte[6000];
        new java.util.Random(5).nextBytes(payload);
        Files.writeString(in.resolve("payload.txt"), java.util.Base64.getMimeEncoder().encodeToString(payload));
        Cli.Result first = Cli.run("summarize", in.toString(), "--db", db(), "--isolation", "none");
        assertThat(first.out()).as(first.toString()).contains("failed              1");
        Cli.Result show = Cli.run("show", "payload.txt", "--db", db(), "--full");
        assertThat(show.out()).as(show.toString()).contains("NOT_TEXT").contains("--accept-not-text reads it as text")
                .contains("text as extracted:").contains(java.util.Base64.getMimeEncoder().encodeToString(payload).lines().findFirst().orElseThrow());

        Cli.Result accepted = Cli.run("summarize", in.toString(), "--db", db(), "--isolation", "none", "--accept-not-text");
        assertThat(accepted.exitCode()).as(accepted.toString()).isZero();
        assertThat(accepted.out()).contains("summarized          1");
    }

    @Test
    void aMissingPathIsAUsageErrorAndCreatesNothing() {
        Cli.Result r = Cli.run("summarize", dir.resolve("nope").toString(), "--db", db());
        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("no such file or folder: " + dir.resolve("nope"));
        assertThat(dir.resolve("db.mv.db")).doesNotExist();
    }

    @Test
    void badUsageExitsWithTwo() {
        assertThat(Cli.run("summarize").exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(Cli.run("frobnicate").exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(Cli.run("summarize", SAMPLES.toString(), "--threads", "zero").exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(Cli.run("summarize", SAMPLES.toString(), "--threads", "0", "--db", db()).exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(Cli.run("export", "--format", "xml", "--db", db()).exitCode()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void commandsOnAMissingDatabaseSaySoWithoutCreatingOne() {
        for (String[] args : List.of(new String[] {"status"}, new String[] {"show", "x"}, new String[] {"export", "--format", "csv"})) {
            String[] full = java.util.stream.Stream.concat(java.util.Arrays.stream(args), java.util.stream.Stream.of("--db", db()))
                    .toArray(String[]::new);
            Cli.Result r = Cli.run(full);
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.USAGE);
            assertThat(r.err()).contains("no database at");
        }
        assertThat(dir.resolve("db.mv.db")).doesNotExist();
    }

    @Test
    void aLockedDatabaseIsRefusedWithExitOneAndLeftIntact() {
        Cli.run("summarize", SAMPLES.resolve("letters").toString(), "--db", db());
        try (Store held = Store.open(dir.resolve("db"), Clock.systemUTC())) {
            Cli.Result r = Cli.run("summarize", SAMPLES.toString(), "--db", db());
            assertThat(r.exitCode()).isEqualTo(ExitCodes.RUN_FAILED);
            assertThat(r.err()).contains("is in use by another nightshift").contains("Nothing was changed");
        }
        Cli.Result status = Cli.run("status", "--db", db(), "--format", "json");
        assertThat(status.out()).contains("\"documents\" : 1");
    }

    @Test
    void ocrAskedForWithoutTesseractSaysSoAndGoesOn() {
        org.junit.jupiter.api.Assumptions.assumeFalse(dev.nightshift.connectors.extract.Ocr.available(),
                "skipped: Tesseract is installed here, so there is no missing-OCR note to see");
        Cli.Result r = Cli.run("summarize", SAMPLES.resolve("letters").toString(), "--db", db(), "--ocr");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.err()).contains("--ocr asked for, but Tesseract is not installed");
        assertThat(r.out()).contains("summarized          1");
    }

    @Test
    void filtersChooseWhatIsRead() {
        Cli.Result r = Cli.run("summarize", SAMPLES.toString(), "--db", db(), "--include", "*.txt", "--exclude", "broken/**");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("documents seen      4").contains("summarized          4");
    }

    @Test
    void bulletsStyleAndLanguageOptions() throws Exception {
        Cli.Result r = Cli.run("summarize", SAMPLES.resolve("letters").toString(), "--db", db(), "--style", "bullets", "--words", "40");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        String text = new ObjectMapper().readTree(Cli.run("export", "--format", "jsonl", "--db", db()).out().lines().findFirst()
                .orElseThrow()).get("text").asText();
        assertThat(text.lines()).allSatisfy(line -> assertThat(line).startsWith("- "));
        assertThat(text.lines().count()).isGreaterThan(1);
        assertThat(Cli.run("summarize", SAMPLES.toString(), "--db", db(), "--style", "poem").exitCode()).isEqualTo(ExitCodes.USAGE);
        Cli.Result lang = Cli.run("summarize", SAMPLES.toString(), "--db", db(), "--language", "de");
        assertThat(lang.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(lang.err()).contains("--language needs --model");
    }

    @Test
    void helpAndVersionWork() {
        Cli.Result help = Cli.run("--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("summarize").contains("status").contains("show").contains("export");
        assertThat(Cli.run("--version").out()).startsWith("nightshift ");
    }
}
