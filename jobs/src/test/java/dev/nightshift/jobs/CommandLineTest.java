package dev.nightshift.jobs;

import dev.nightshift.jobs.cli.ExitCodes;
import dev.nightshift.jobs.run.SummarizeCommandTest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What a user meets in the first hour: help everywhere, the failure list, whole outputs, the closing hints. */
class CommandLineTest {
    static final Path SAMPLES = SummarizeCommandTest.SAMPLES;

    @TempDir
    Path dir;

    private String db() {
        return dir.resolve("db").toString();
    }

    /** Every command path of the tree: [], [summarize], [model], [model, generate], ... */
    private static List<List<String>> commandPaths(CommandLine command, List<String> prefix) {
        List<List<String>> paths = new ArrayList<>();
        paths.add(prefix);
        command.getSubcommands().forEach((name, sub) -> {
            List<String> path = new ArrayList<>(prefix);
            path.add(name);
            paths.addAll(commandPaths(sub, path));
        });
        return paths;
    }

    @Test
    void everyCommandAnswersHelpAndDashHWithExitZero() {
        CommandLine tree = new CommandLine(new Main());
        List<List<String>> paths = commandPaths(tree, List.of());
        assertThat(paths).hasSizeGreaterThan(10);
        for (List<String> path : paths) {
            for (String flag : List.of("--help", "-h")) {
                List<String> args = new ArrayList<>(path);
                args.add(flag);
                Cli.Result r = Cli.run(args.toArray(String[]::new));
                assertThat(r.exitCode()).as(args + "\n" + r).isZero();
                assertThat(r.out()).as(args.toString()).startsWith("Usage: nightshift" + (path.isEmpty() ? "" : " " + String.join(" ", path)));
            }
            if (path.isEmpty() || path.get(0).equals("help")) continue;
            // help COMMAND [SUBCOMMAND] prints the help of the command named, at any depth.
            List<String> help = new ArrayList<>(List.of("help"));
            help.addAll(path);
            Cli.Result r = Cli.run(help.toArray(String[]::new));
            assertThat(r.exitCode()).as(help + "\n" + r).isZero();
            assertThat(r.out()).as(help.toString()).startsWith("Usage: nightshift " + String.join(" ", path));
        }
        Cli.Result unknown = Cli.run("help", "model", "nope");
        assertThat(unknown.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(unknown.err()).contains("unknown command: model nope").contains("generate");
    }

    @Test
    void failuresListsEachFailedDocumentWithItsStatusReasonAndRun() throws Exception {
        Cli.Result run = Cli.run("summarize", SAMPLES.toString(), "--db", db());
        assertThat(run.exitCode()).isEqualTo(ExitCodes.SOME_FAILED);
        // The closing hints: each description on its own line, then the command alone, ready to copy.
        assertThat(run.out()).contains("  the failed documents and why:\n    nightshift failures --db " + db() + ".mv.db\n");

        Cli.Result text = Cli.run("failures", "--db", db());
        assertThat(text.exitCode()).isZero();
        assertThat(text.out()).contains("broken/corrupt-report.pdf\n    PARSE_ERROR (run 1): ")
                .contains("broken/empty.txt\n    EMPTY (run 1): the file is empty (0 bytes)").contains("2 documents");

        JsonNode json = new ObjectMapper().readTree(Cli.run("failures", "--db", db(), "--format", "json").out());
        assertThat(json).hasSize(2);
        assertThat(json.get(0).get("path").asText()).endsWith("broken/corrupt-report.pdf");
        assertThat(json.get(0).get("status").asText()).isEqualTo("PARSE_ERROR");
        assertThat(json.get(0).get("run").asLong()).isEqualTo(1);

        Cli.Result csv = Cli.run("failures", "--db", db(), "--format", "csv", "--reason", "empty");
        assertThat(csv.out().lines()).containsExactly("path,status,reason,run",
                SAMPLES.resolve("broken/empty.txt") + ",EMPTY,the file is empty (0 bytes),1");
    }

    @Test
    void showCutsLongOutputsAndFullPrintsThemWhole() throws Exception {
        Path letter = SAMPLES.resolve("letters/heating-bill-correction.txt");
        Cli.run("summarize", letter.toString(), "--db", db(), "--words", "80");
        String summary = new ObjectMapper().readTree(Cli.run("export", "--format", "jsonl", "--db", db()).out().strip()).get("text").asText();
        assertThat(summary.length()).isGreaterThan(200);
        Cli.Result cut = Cli.run("show", letter.toString(), "--db", db());
        assertThat(cut.out()).doesNotContain(summary).contains("(show --full for all of it)");
        Cli.Result full = Cli.run("show", letter.toString(), "--db", db(), "--full");
        assertThat(full.exitCode()).isZero();
        assertThat(full.out().replaceAll("\\s+", " ")).contains(summary.replaceAll("\\s+", " "));
    }

    @Test
    void hostileFileNamesAreShownWithTheirControlCharactersVisible() throws Exception {
        Path in = Files.createDirectories(dir.resolve("in"));
        Path hostile = in.resolve("report\u001b]0;pwned\u0007\u202egpj.exe");
        Files.writeString(hostile, "");
        Cli.Result r = Cli.run("summarize", in.toString(), "--db", db());
        assertThat(r.out()).doesNotContain("\u001b").doesNotContain("\u202e").contains("report\\x1b]0;pwned\\x07\\u202egpj.exe");
        assertThat(Cli.run("failures", "--db", db()).out()).doesNotContain("\u001b").contains("\\x1b");

        // A name with a tab, a line break and a colour code, in every place that prints names.
        Path named = in.resolve("rep\tort\nx\u001b[31mred.txt");
        Files.writeString(named, "The harbour council met on Tuesday and agreed to mend the bridge before winter came to the valley.");
        Cli.run("summarize", in.toString(), "--db", db());
        String visible = "rep\\tort\\nx\\x1b[31mred.txt";
        for (List<String> command : List.of(List.of("show", named.toString()), List.of("search", "harbour"), List.of("export", "--format", "md"))) {
            List<String> args = new ArrayList<>(command);
            args.addAll(List.of("--db", db()));
            Cli.Result shown = Cli.run(args.toArray(String[]::new));
            assertThat(shown.exitCode()).as(command + "\n" + shown).isZero();
            assertThat(shown.out()).as(command.get(0)).contains(visible).doesNotContain("\u001b").doesNotContain("rep\tort").doesNotContain("ort\nx");
        }
    }

    /** One set of definitions: seen = files found, read or not; status and failures count the same failures. */
    @Test
    void countsAgreeWithEachOtherAndWithTheFailureList() throws Exception {
        Path in = Files.createDirectories(dir.resolve("counted"));
        Files.writeString(in.resolve("note.txt"), "The harbour master counted the ships that came in on Tuesday and wrote it down.");
        Files.createSymbolicLink(in.resolve("gone.txt"), in.resolve("nowhere.txt"));
        Files.copy(SAMPLES.resolve("broken/empty.txt"), in.resolve("empty.txt"));
        Cli.Result first = Cli.run("summarize", in.toString(), "--db", db());
        assertThat(first.out()).contains("documents seen      3").contains("summarized          1").contains("failed              2");
        assertThat(first.out()).doesNotContain("still failed");

        Cli.Result failures = Cli.run("failures", "--db", db());
        assertThat(failures.out()).contains("2 documents");
        assertThat(Cli.run("status", "--db", db()).out()).containsPattern("failed +2 ");
        JsonNode status = new ObjectMapper().readTree(Cli.run("status", "--db", db(), "--format", "json").out());
        assertThat(status.get("failed").asLong()).isEqualTo(2);
        assertThat(status.get("failures_by_status").get("UNREADABLE").asLong()).isEqualTo(1);

        // A rerun reads nothing again: the empty file's failure stands and is said, the link is found broken again.
        Cli.Result rerun = Cli.run("summarize", in.toString(), "--db", db());
        assertThat(rerun.out()).contains("documents seen      3").contains("skipped (unchanged) 2").contains("failed              1")
                .contains("still failed        1  (recorded by earlier runs");

        // A question is not a run over the files; a run whose process was killed is not "running".
        try (var store = dev.nightshift.pipeline.store.Store.open(Path.of(db()), java.time.Clock.systemUTC())) {
            store.startRun("summarize", "killed mid-run", "test");
        }
        try (var store = dev.nightshift.pipeline.store.Store.open(Path.of(db()), java.time.Clock.systemUTC())) {
            long ask = store.startRun("ask", "what came in?", "test");
            store.finishRun(ask, dev.nightshift.pipeline.store.RunStatus.COMPLETED, "answered");
        }
        assertThat(Cli.run("status", "--db", db()).out()).contains("last run   #3 summarize, abandoned");
    }

    /** Slips a user makes in the first hour get a plain answer, not a silent nothing or the wrong help. */
    @Test
    void slipsAreAnsweredPlainly() throws Exception {
        Cli.run("summarize", SAMPLES.resolve("letters").toString(), "--db", db());
        Cli.Result bogus = Cli.run("failures", "--reason", "BOGUS", "--db", db());
        assertThat(bogus.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(bogus.err()).contains("BOGUS is not a status").contains("PARSE_ERROR").contains("UNREADABLE").contains("SUMMARIZE");
        assertThat(Cli.run("failures", "--reason", "parse_error", "--db", db()).exitCode()).isZero();

        // "-heating" is a query that excludes a word, not the options -h -e -a...
        Cli.Result excluding = Cli.run("search", "-heating", "--db", db());
        assertThat(excluding.exitCode()).as(excluding.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(excluding.out()).doesNotContain("Usage:");
        assertThat(excluding.err()).contains("only excludes").contains("add a word to look for");
        Cli.Result narrowed = Cli.run("search", "bill -heating", "--db", db());
        assertThat(narrowed.exitCode()).as(narrowed.toString()).isZero();

        // spark and import live in the Spark jars: the main help names them and says where their help is.
        assertThat(Cli.run("--help").out()).contains("spark").contains("import").contains("help spark");
        for (String command : List.of("spark", "import")) {
            Cli.Result help = Cli.run("help", command);
            assertThat(help.exitCode()).as(help.toString()).isZero();
            assertThat(help.out()).contains("Spark jars").contains("--help");
        }
    }

    /** {@code --out} names a file: a folder, a file in the path or a full device get a reason and the right code. */
    @Test
    void exportAndReportSayWhatIsWrongWithTheirOutput() throws Exception {
        Cli.run("summarize", SAMPLES.resolve("letters").toString(), "--db", db());
        Path folder = Files.createDirectories(dir.resolve("exports"));
        for (String command : List.of("export", "report")) {
            List<String> args = new ArrayList<>(List.of(command, "--db", db(), "--out", folder.toString()));
            if (command.equals("export")) args.addAll(List.of("--format", "jsonl"));
            Cli.Result r = Cli.run(args.toArray(String[]::new));
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.USAGE);
            assertThat(r.err()).contains(folder + " is a folder");
        }
        Cli.Result below = Cli.run("export", "--format", "md", "--db", db(), "--out", dir.resolve("db.mv.db/x.md").toString());
        assertThat(below.exitCode()).as(below.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(below.err()).contains("is a file, not a folder");
        try (var left = Files.list(folder)) {
            assertThat(left).isEmpty();
        }
        if (Files.isWritable(Path.of("/dev/full"))) {
            Cli.Result full = Cli.run("export", "--format", "jsonl", "--db", db(), "--out", "/dev/full");
            assertThat(full.exitCode()).as(full.toString()).isEqualTo(ExitCodes.RUN_FAILED);
            assertThat(full.err()).contains("cannot write /dev/full: No space left on device");
            assertThat(Files.isRegularFile(Path.of("/dev/full"))).isFalse();
        }
    }
}
