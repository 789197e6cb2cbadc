package dev.nightshift.jobs.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** What killed processes leave in the temporary folder goes once it is a day old; nothing else does. */
class TempFilesTest {
    @TempDir
    Path tmp;

    private Path aged(Path p, Duration age) throws Exception {
        Files.setLastModifiedTime(p, FileTime.from(Instant.now().minus(age)));
        return p;
    }

    @Test
    void leftoversOfKilledProcessesAreSweptOnceADayOld() throws Exception {
        Path library = Files.createDirectories(tmp.resolve("onnxruntime-java123"));
        Files.writeString(library.resolve("libonnxruntime.so"), "native");
        aged(library, Duration.ofDays(2));
        Path spool = aged(Files.writeString(tmp.resolve("apache-tika-456.tmp"), "spooled"), Duration.ofDays(3));
        Path target = Files.writeString(tmp.resolve("caf\u00e9.txt"), "the file a link leads to");
        Path link = Files.createSymbolicLink(tmp.resolve("nightshift-link-789"), target);
        aged(target, Duration.ofDays(5)); // the link is judged by its own time (just made), not its target's
        Path fresh = Files.writeString(tmp.resolve("apache-tika-new.tmp"), "in use");
        Path other = aged(Files.writeString(tmp.resolve("someone-elses.tmp"), "not ours"), Duration.ofDays(9));

        TempFiles.sweep(tmp);

        assertThat(library).doesNotExist();
        assertThat(spool).doesNotExist();
        assertThat(fresh).exists();
        assertThat(other).exists();
        assertThat(link).exists();
        assertThat(target).exists(); // a link's target is never touched
    }

    @Test
    void aFolderThatIsNotThereIsNoError() {
        TempFiles.sweep(tmp.resolve("missing"));
        assertThat(tmp.resolve("missing")).doesNotExist();
    }
}
