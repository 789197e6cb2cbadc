package dev.nightshift.connectors.folder;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Names that are bytes, not text: Latin-1 names from old archives and network shares. */
public class FileNamesTest {
    @TempDir
    Path dir;

    /**
     * Makes {@code dir/caf<byte>.txt} holding {@code text}, with the name's last letter a single Latin-1
     * byte (0xE9 is é): Java cannot name such a file from a string, so the shell makes it.
     *
     * @return the file as listing the folder gives it (a Path that kept the bytes)
     */
    public static Path latin1File(Path dir, int letter, String text) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("sh", "-c", "printf '%s' \"$2\" > \"$1/caf$(printf '\\" + Integer.toOctalString(letter) + "').txt\"",
                "sh", dir.toString(), text).redirectErrorStream(true).start();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();
        try (Stream<Path> files = Files.list(dir)) {
            String tail = String.format("\\x%02X.txt", letter);
            return files.filter(f -> FileNames.display(f).endsWith(tail)).findFirst().orElseThrow();
        }
    }

    @Test
    void bytesThatAreNotUtf8AreShownEscapedAndKeepNamesApart() throws Exception {
        Path e9 = latin1File(dir, 0xE9, "Das Café am Markt öffnet um acht.");
        Path e8 = latin1File(dir, 0xE8, "Le café du coin ouvre à huit heures.");
        assertThat(FileNames.roundTrips(e9)).isFalse();
        // Java's own string is lossy: both names read "caf\uFFFD.txt", and opening that string fails.
        assertThat(e9.toString()).isEqualTo(e8.toString());
        assertThat(Files.exists(Path.of(e9.toString()))).isFalse();
        assertThat(FileNames.display(e9)).isEqualTo(dir + "/caf\\xE9.txt");
        assertThat(FileNames.display(e8)).isEqualTo(dir + "/caf\\xE8.txt");
        assertThat(FileNames.display(e9.getFileName())).isEqualTo("caf\\xE9.txt");
        // Text names are left as they are, whatever their script, spaces and signs.
        Path plain = Files.writeString(dir.resolve("Übersicht 100% #1 ü.txt"), "x");
        assertThat(FileNames.roundTrips(plain)).isTrue();
        assertThat(FileNames.display(plain)).isEqualTo(plain.toString());
        assertThat(FileNames.escapeInvalid(new byte[] {'a', (byte) 0xC3, (byte) 0xA9, (byte) 0xFF, (byte) 0xC3, 'b'}))
                .isEqualTo("aé\\xFF\\xC3b");
    }

    @Test
    void theFolderConnectorFindsEachWithALocatorOfItsOwn() throws Exception {
        Path e9 = latin1File(dir, 0xE9, "one");
        Path e8 = latin1File(dir, 0xE8, "two");
        List<String> locators = new ArrayList<>();
        Map<String, String> problems = new TreeMap<>();
        new FolderConnector(List.of(dir), java.util.Set.of()).discover(item -> {
            locators.add(item.locator());
            // The item's file is the one found: it opens, with its own bytes.
            assertThat(Files.isRegularFile(item.file())).isTrue();
            return true;
        }, problems::put);
        assertThat(locators).containsExactlyInAnyOrder(FileNames.display(e9), FileNames.display(e8));
        assertThat(problems).isEmpty();
    }
}
