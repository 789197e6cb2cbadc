package dev.nightshift.jobs;

import dev.nightshift.jobs.cli.ExitCodes;
import dev.nightshift.jobs.model.ModelCommandTest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The data folder as the launcher sets it up (its folders passed as properties, nothing made in advance):
 * trying nightshift leaves nothing behind, and a folder that cannot be made is said in one line.
 */
class DataFolderIT {
    @TempDir
    Path dir;

    record Run(int exitCode, String out, String err) {
    }

    /** Runs the packaged jar from {@code cwd} with the options scripts/nightshift gives it. */
    private Run run(Path cwd, String... args) throws IOException, InterruptedException {
        Path data = cwd.resolve("nightshift-data");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "-Dnightshift.data=" + data, "-Dnightshift.logdir=" + data.resolve("logs"), "-Dpdfbox.fontcache=" + data.resolve("cache"),
                "-Djna.tmpdir=" + data.resolve("cache"), "-Djava.io.tmpdir=" + data.resolve("tmp"),
                "-jar", ProcessLifecycleIT.JAR.toString()));
        command.addAll(List.of(args));
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        Process p = new ProcessBuilder(command).directory(cwd.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("nightshift %s finished", args[0]).isTrue();
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    private static List<String> names(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.map(p -> p.getFileName().toString()).toList();
        }
    }

    @Test
    void helpAndReadingCommandsMakeNoDataFolder() throws Exception {
        Path cwd = Files.createDirectories(dir.resolve("fresh"));
        assertThat(run(cwd, "--help").exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(run(cwd, "summarize", "--help").exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(run(cwd, "--version").exitCode()).isEqualTo(ExitCodes.OK);
        Run status = run(cwd, "status");
        assertThat(status.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(status.err()).contains("no database at");
        assertThat(run(cwd, "summarize", "--no-such-option").exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(names(cwd)).isEmpty();
    }

    @Test
    void aRunMakesTheDataFolderItUses() throws Exception {
        Path cwd = Files.createDirectories(dir.resolve("work"));
        Files.writeString(cwd.resolve("note.txt"), "The council met on Tuesday and agreed to mend the bridge before winter.");
        Run r = run(cwd, "summarize", "note.txt", "--model", ModelCommandTest.GEMMA3.toString());
        assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.OK);
        assertThat(names(cwd.resolve("nightshift-data"))).contains("nightshift.mv.db", "tmp", "logs").doesNotContain("nightshift.trace.db");
        // The log says what happened, without a GPU warning per tokenizer on a machine that has none.
        assertThat(Files.readString(cwd.resolve("nightshift-data/logs/nightshift.log"))).contains("run").doesNotContain("CUDA");
    }

    @Test
    void aDataFolderThatCannotBeMadeIsSaidInOneLine() throws Exception {
        Path cwd = Files.createDirectories(dir.resolve("blocked"));
        Files.writeString(cwd.resolve("note.txt"), "The council met on Tuesday and agreed to mend the bridge before winter.");
        // A file where the folder should be: what a read-only folder does to mkdir, and it fails for root too.
        Files.writeString(cwd.resolve("nightshift-data"), "not a folder");
        Run r = run(cwd, "summarize", "note.txt");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.RUN_FAILED);
        assertThat(r.err().strip().lines()).as(r.err()).hasSize(1);
        assertThat(r.err()).startsWith("nightshift: cannot make the folder " + cwd.resolve("nightshift-data").resolve("tmp"))
                .contains("NIGHTSHIFT_DATA").doesNotContain("Exception");
    }
}
