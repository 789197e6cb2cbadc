package dev.nightshift.connectors.export;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OutputFileTest {
    @TempDir
    Path dir;

    private static String[] listing(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.map(p -> p.getFileName().toString()).sorted().toArray(String[]::new);
        }
    }

    @Test
    void aRegularFileIsReplacedWholeAndKeepsItsPermissions() throws IOException {
        Path file = Files.writeString(dir.resolve("export.jsonl"), "old");
        Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r-----"));
        assertThat(OutputFile.write(file, w -> w.write("new"))).isEqualTo(file);
        assertThat(file).hasContent("new");
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-r-----");
        assertThat(listing(dir)).containsExactly("export.jsonl");
    }

    @Test
    void aFailedWriteLeavesTheOldFileAndNoPartialOne() throws IOException {
        Path file = Files.writeString(dir.resolve("export.jsonl"), "old");
        assertThatThrownBy(() -> OutputFile.write(file, w -> {
            w.write("half");
            throw new IOException("No space left on device");
        })).isNotInstanceOf(OutputFile.Refused.class).hasMessageContaining("No space");
        assertThat(file).hasContent("old");
        assertThat(listing(dir)).containsExactly("export.jsonl");
    }

    @Test
    void aSymbolicLinkStaysALinkAndItsDestinationIsWritten() throws IOException {
        Path real = Files.createDirectories(dir.resolve("elsewhere")).resolve("real.jsonl");
        Path link = Files.createSymbolicLink(dir.resolve("link.jsonl"), Path.of("elsewhere/real.jsonl"));
        assertThat(OutputFile.write(link, w -> w.write("through the link"))).isEqualTo(real);
        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(real).hasContent("through the link");
        Path loop = Files.createSymbolicLink(dir.resolve("loop"), Path.of("loop"));
        assertThatThrownBy(() -> OutputFile.write(loop, w -> w.write("x"))).isInstanceOf(OutputFile.Refused.class)
                .hasMessageContaining("too many symbolic links");
    }

    @Test
    void aNamedPipeIsWrittenThroughNotReplaced() throws Exception {
        Path fifo = dir.resolve("pipe");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        Assumptions.assumeTrue(mkfifo.waitFor(10, TimeUnit.SECONDS) && mkfifo.exitValue() == 0, "skipped: mkfifo is not available here");
        CompletableFuture<String> reader = CompletableFuture.supplyAsync(() -> {
            try {
                return Files.readString(fifo, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        OutputFile.write(fifo, w -> w.write("to the reader"));
        assertThat(reader.get(10, TimeUnit.SECONDS)).isEqualTo("to the reader");
        assertThat(Files.isRegularFile(fifo)).isFalse();
        assertThat(listing(dir)).containsExactly("pipe");
    }

    @Test
    void aDeviceIsWrittenThroughAndItsErrorsAreNotRefusals() {
        Path full = Path.of("/dev/full");
        Assumptions.assumeTrue(Files.isWritable(full), "skipped: no writable /dev/full on this system");
        assertThatThrownBy(() -> OutputFile.write(full, w -> w.write("x".repeat(100_000))))
                .isNotInstanceOf(OutputFile.Refused.class).hasMessageContaining("No space left");
        assertThat(Files.isRegularFile(full)).isFalse();
    }

    @Test
    void aFolderOrAFileInThePathIsRefusedBeforeAnythingIsWritten() throws IOException {
        assertThatThrownBy(() -> OutputFile.write(dir, w -> w.write("x"))).isInstanceOf(OutputFile.Refused.class)
                .hasMessageContaining("is a folder");
        Path file = Files.writeString(dir.resolve("plain.txt"), "keep");
        assertThatThrownBy(() -> OutputFile.write(file.resolve("below.jsonl"), w -> w.write("x"))).isInstanceOf(OutputFile.Refused.class)
                .hasMessageContaining("is a file, not a folder");
        assertThat(file).hasContent("keep");
        assertThat(listing(dir)).containsExactly("plain.txt");
        // A missing folder is made.
        assertThat(OutputFile.write(dir.resolve("new/sub/x.md"), w -> w.write("x"))).hasContent("x");
    }

    @Test
    void aReadOnlyFileOrFolderIsRefused() throws IOException {
        Path file = Files.writeString(dir.resolve("kept.jsonl"), "keep");
        Path folder = Files.createDirectories(dir.resolve("locked"));
        file.toFile().setWritable(false);
        folder.toFile().setWritable(false);
        try {
            Assumptions.assumeFalse(Files.isWritable(file), "skipped: this user (root) may write read-only files");
            assertThatThrownBy(() -> OutputFile.write(file, w -> w.write("x"))).isInstanceOf(OutputFile.Refused.class)
                    .hasMessageContaining("read-only");
            assertThatThrownBy(() -> OutputFile.write(folder.resolve("x.jsonl"), w -> w.write("x")))
                    .isInstanceOf(OutputFile.Refused.class).hasMessageContaining("no permission");
            assertThat(file).hasContent("keep");
        } finally {
            folder.toFile().setWritable(true);
            file.toFile().setWritable(true);
        }
    }
}
