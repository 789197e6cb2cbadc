package dev.nightshift.spark;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Spark runner on {@code local[2]} over samples/ and ../shared/corpus (the samples alone, with a note,
 * where the corpus is absent), imported into a database, against a local summarize of the same folders:
 * the same documents, statuses and extractive summaries. Importing again changes nothing.
 */
class SparkRunnerIT {
    static final Path SAMPLES = Path.of("..", "..", "samples").toAbsolutePath().normalize();
    static final Path CORPUS = Path.of("..", "..", "..", "shared", "corpus").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    record Run(int code, String out, String err) {
    }

    static Run spark(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        CommandLine cl = new CommandLine(new SparkMain());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    /** Every document as a line: path, extraction status, SHA-256 of the bytes and of the final summary. */
    static TreeSet<String> documents(Path db) throws Exception {
        TreeSet<String> rows = new TreeSet<>();
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + db + ";ACCESS_MODE_DATA=r", "nightshift", "");
             ResultSet rs = c.createStatement().executeQuery("""
                     SELECT s.locator, e.status, d.sha256, o.content, o.task_key FROM sources s JOIN documents d ON d.source_id = s.id
                     JOIN extractions e ON e.document_id = d.id LEFT JOIN outputs o ON o.document_id = d.id AND o.is_final""")) {
            while (rs.next()) {
                String summary = rs.getString(4) == null ? "-" : Integer.toHexString(rs.getString(4).hashCode()) + "/" + rs.getString(5);
                rows.add(rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3) + " " + summary);
            }
        }
        return rows;
    }

    @Test
    void localTwoGivesWhatALocalSummarizeGives() throws Exception {
        List<String> inputs = new ArrayList<>(List.of(SAMPLES.toString()));
        if (Files.isDirectory(CORPUS)) inputs.add(CORPUS.toString());
        else System.err.println("SparkRunnerIT: no corpus at " + CORPUS + "; the samples alone are compared");
        Path out = dir.resolve("results");
        List<String> args = new ArrayList<>(List.of("summarize"));
        args.addAll(inputs);
        args.addAll(List.of("--out", out.toString(), "--master", "local[2]", "--timeout", "20", "--threads", "1"));
        Run spark = spark(args.toArray(String[]::new));
        assertThat(spark.code()).as(spark.err()).isZero();
        assertThat(Files.exists(out.resolve("manifest.json"))).isTrue();

        Path imported = dir.resolve("imported").resolve("db");
        Run first = spark("import", out.toString(), "--db", imported.toString());
        assertThat(first.code()).as(first.err()).isZero();
        TreeSet<String> fromSpark = documents(imported);
        Run again = spark("import", out.toString(), "--db", imported.toString());
        assertThat(again.code()).isZero();
        assertThat(documents(imported)).as("importing twice changes nothing").isEqualTo(fromSpark);

        Path local = dir.resolve("local").resolve("db");
        List<String> localArgs = new ArrayList<>(List.of("summarize"));
        localArgs.addAll(inputs);
        localArgs.addAll(List.of("--db", local.toString(), "--timeout", "20", "--threads", "2"));
        int code = dev.nightshift.jobs.Main.run(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), localArgs.toArray(String[]::new));
        assertThat(code).isIn(0, 3);
        TreeSet<String> fromLocal = documents(local);
        assertThat(fromSpark).hasSizeGreaterThan(15).isEqualTo(fromLocal);
    }

    static final Path GEMMA3 = Path.of("..", "..", "pipeline", "src", "test", "resources", "models", "tiny-gemma3").toAbsolutePath().normalize();

    /** With a model: loaded once per executor, and the summaries are the local run's, token for token (greedy). */
    @Test
    void aModelSummarizesOnSparkAsItDoesLocally() throws Exception {
        String letters = SAMPLES.resolve("letters").toString(), de = SAMPLES.resolve("de").toString();
        Path out = dir.resolve("model-results");
        Run spark = spark("summarize", letters, de, "--out", out.toString(), "--master", "local[2]", "--model", GEMMA3.toString(),
                "--dtype", "fp32", "--words", "20", "--partitions", "2");
        assertThat(spark.code()).as(spark.err()).isZero();
        Path imported = dir.resolve("model-imported").resolve("db");
        assertThat(spark("import", out.toString(), "--db", imported.toString()).code()).isZero();
        Path local = dir.resolve("model-local").resolve("db");
        int code = dev.nightshift.jobs.Main.run(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), "summarize", letters, de,
                "--db", local.toString(), "--model", GEMMA3.toString(), "--dtype", "fp32", "--words", "20");
        assertThat(code).isZero();
        assertThat(documents(imported)).hasSize(2).isEqualTo(documents(local));
    }

    /** Fields on Spark: the same objects as a local extract, and their values with their evidence imported. */
    @Test
    void extractsOnSparkAsItDoesLocally() throws Exception {
        String invoices = SAMPLES.resolve("invoices").toString(), schema = SAMPLES.resolve("schemas/invoice.json").toString();
        Path out = dir.resolve("fields");
        Run spark = spark("extract", invoices, "--schema", schema, "--out", out.toString(), "--master", "local[2]", "--model", GEMMA3.toString(),
                "--dtype", "fp32", "--partitions", "2");
        assertThat(spark.code()).as(spark.err()).isZero();
        Path imported = dir.resolve("fields-imported").resolve("db");
        assertThat(spark("import", out.toString(), "--db", imported.toString()).code()).isZero();
        Path local = dir.resolve("fields-local").resolve("db");
        int code = dev.nightshift.jobs.Main.run(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), "extract", invoices,
                "--schema", schema, "--db", local.toString(), "--model", GEMMA3.toString(), "--dtype", "fp32");
        assertThat(code).isZero();
        assertThat(documents(imported)).hasSize(2).isEqualTo(documents(local));
        assertThat(fields(imported)).hasSizeGreaterThan(2).isEqualTo(fields(local));
        assertThat(spark("extract", invoices, "--schema", SAMPLES.resolve("schemas/letter.json").toString(), "--out",
                dir.resolve("x").toString(), "--master", "local[1]").err()).contains("extract needs --model");
    }

    /** Every stored value with its evidence, by document path. */
    private static TreeSet<String> fields(Path db) throws Exception {
        TreeSet<String> rows = new TreeSet<>();
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + db + ";ACCESS_MODE_DATA=r", "nightshift", "");
             ResultSet rs = c.createStatement().executeQuery("""
                     SELECT s.locator, f.path, f.value_json, f.evidence, f.char_start FROM fields f JOIN documents d ON d.id = f.document_id
                     JOIN sources s ON s.id = d.source_id""")) {
            while (rs.next()) rows.add(rs.getString(1) + " " + rs.getString(2) + "=" + rs.getString(3) + " " + rs.getString(4) + "@" + rs.getString(5));
        }
        return rows;
    }

    /** Translation on Spark: the same translations as a local translate of the same folders. */
    @Test
    void translatesOnSparkAsItDoesLocally() throws Exception {
        String de = SAMPLES.resolve("de").toString(), letters = SAMPLES.resolve("letters").toString();
        Path out = dir.resolve("translated");
        Run spark = spark("translate", de, letters, "--to", "fr", "--out", out.toString(), "--master", "local[2]", "--model", GEMMA3.toString(),
                "--dtype", "fp32", "--partitions", "2");
        assertThat(spark.code()).as(spark.err()).isZero();
        Path imported = dir.resolve("translated-imported").resolve("db");
        assertThat(spark("import", out.toString(), "--db", imported.toString()).code()).isZero();
        Path local = dir.resolve("translated-local").resolve("db");
        int code = dev.nightshift.jobs.Main.run(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), "translate", de, letters,
                "--to", "fr", "--db", local.toString(), "--model", GEMMA3.toString(), "--dtype", "fp32", "--out", dir.resolve("files").toString());
        assertThat(code).isZero();
        assertThat(documents(imported)).hasSize(2).isEqualTo(documents(local));
        assertThat(spark("translate", de, "--to", "fr", "--out", dir.resolve("x").toString(), "--master", "local[1]").err()).contains("translate needs --model");
    }

    @Test
    void aModelFolderMissingOnTheExecutorsFailsTheJobNamingIt() {
        Run spark = spark("summarize", SAMPLES.resolve("letters").toString(), "--out", dir.resolve("o").toString(), "--master", "local[1]",
                "--model", "/nowhere/gemma-model");
        assertThat(spark.code()).isNotZero();
        assertThat(spark.err()).contains("the model folder /nowhere/gemma-model is not on");
    }

    /** --previous: a later run skips what an earlier one did to unchanged bytes, and redoes a changed file. */
    @Test
    void aLaterRunSkipsUnchangedFilesGivenThePreviousDatabase() throws Exception {
        Path in = Files.createDirectories(dir.resolve("in"));
        for (String f : List.of("letters/heating-bill-correction.txt", "notes/balcony-garden.md", "de/rhein-wasserstrasse.txt")) {
            Files.copy(SAMPLES.resolve(f), in.resolve(Path.of(f).getFileName()));
        }
        Path db = dir.resolve("db").resolve("nightshift");
        int code = dev.nightshift.jobs.Main.run(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), "summarize", in.toString(),
                "--db", db.toString());
        assertThat(code).isZero();
        TreeSet<String> before = documents(db);
        Files.writeString(in.resolve("balcony-garden.md"), "\n\nAdded later: water the basil every evening in July.", java.nio.file.StandardOpenOption.APPEND);
        Run later = spark("summarize", in.toString(), "--out", dir.resolve("later").toString(), "--master", "local[2]", "--previous", db.toString());
        assertThat(later.code()).as(later.err()).isZero();
        assertThat(later.out()).contains("--previous knows 3 of the 3 files");
        assertThat(spark("import", dir.resolve("later").toString(), "--db", db.toString()).code()).isZero();
        TreeSet<String> after = documents(db);
        // The changed file is a new version; the two unchanged ones were skipped, not done again.
        assertThat(after).containsAll(before).hasSize(before.size() + 1);
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + db + ";ACCESS_MODE_DATA=r", "nightshift", "");
             ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM extractions")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(4);
        }
    }

    @Test
    void badInputIsRefusedBeforeTheJobStarts() throws Exception {
        Run missing = spark("summarize", dir.resolve("no-such-folder").toString(), "--out", dir.resolve("o").toString(), "--master", "local[1]");
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("cannot read the input").contains("no-such-folder");
        Files.createDirectories(dir.resolve("exists"));
        Run exists = spark("summarize", SAMPLES.toString(), "--out", dir.resolve("exists").toString(), "--master", "local[1]");
        assertThat(exists.code()).isEqualTo(2);
        assertThat(exists.err()).contains("exists; give --overwrite");
        Run notResults = spark("import", dir.resolve("exists").toString(), "--db", dir.resolve("db").toString());
        assertThat(notResults.code()).isEqualTo(2);
        assertThat(notResults.err()).contains("holds no nightshift results");
        Files.writeString(dir.resolve("exists").resolve("manifest.json"), "{\"job_id\":\"x\",\"schema_version\":\"1\"}");
        Run old = spark("import", dir.resolve("exists").toString(), "--db", dir.resolve("db").toString());
        assertThat(old.code()).isEqualTo(2);
        assertThat(old.err()).contains("written at schema 1").contains("imports schema");
    }
}
