package dev.nightshift.connectors.folder;

import dev.nightshift.pipeline.core.SourceItem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

class FolderConnectorTest {
    @TempDir
    Path dir;

    private record Found(List<String> items, Map<String, String> problems) {
    }

    private Found discover(List<Path> roots, Set<Path> excluded) {
        List<String> items = new ArrayList<>();
        Map<String, String> problems = new TreeMap<>();
        new FolderConnector(roots, excluded).discover(item -> items.add(dir.relativize(item.file()).toString()), problems::put);
        return new Found(items, problems);
    }

    @Test
    void walksRecursivelyAndLeavesOutHiddenAndExcludedPaths() throws Exception {
        Files.createDirectories(dir.resolve("a/b"));
        Files.createDirectories(dir.resolve(".git"));
        Files.createDirectories(dir.resolve("nightshift-data"));
        Files.writeString(dir.resolve("a/one.txt"), "1");
        Files.writeString(dir.resolve("a/b/two.txt"), "2");
        Files.writeString(dir.resolve(".hidden.txt"), "h");
        Files.writeString(dir.resolve(".git/config"), "g");
        Files.writeString(dir.resolve("nightshift-data/nightshift.mv.db"), "db");
        Found found = discover(List.of(dir), Set.of(dir.resolve("nightshift-data")));
        assertThat(found.items()).containsExactlyInAnyOrder("a/one.txt", "a/b/two.txt");
        assertThat(found.problems()).isEmpty();
    }

    @Test
    void includeExcludeHiddenAndSizeFilters() throws Exception {
        Files.createDirectories(dir.resolve("drafts"));
        Files.createDirectories(dir.resolve(".cache"));
        Files.writeString(dir.resolve("a.pdf"), "pdf");
        Files.writeString(dir.resolve("b.txt"), "txt");
        Files.writeString(dir.resolve("drafts/c.pdf"), "draft");
        Files.writeString(dir.resolve(".cache/d.pdf"), "hidden");
        Files.write(dir.resolve("big.pdf"), new byte[3 * 1024 * 1024]);
        List<String> items = new ArrayList<>();
        Map<String, String> problems = new TreeMap<>();
        new FolderConnector(List.of(dir), Set.of(), new FolderConnector.Filter(List.of("*.pdf"), List.of("drafts/**"), true, 1024 * 1024))
                .discover(item -> items.add(dir.relativize(item.file()).toString()), problems::put);
        assertThat(items).containsExactlyInAnyOrder("a.pdf", ".cache/d.pdf");
        assertThat(problems).containsOnlyKeys(dir.resolve("big.pdf").toString());
        assertThat(problems.get(dir.resolve("big.pdf").toString())).contains("larger than the limit of 1 MB");
    }

    @Test
    void aNamedPipeIsSaidNotRead() throws Exception {
        Path pipe = dir.resolve("pipe");
        Process mkfifo = new ProcessBuilder("mkfifo", pipe.toString()).start();
        assertThat(mkfifo.waitFor()).isZero();
        Files.writeString(dir.resolve("note.txt"), "x");
        // Inside a folder and given by itself: reading it would wait for a writer for ever.
        for (Path root : List.of(dir, pipe)) {
            Found found = discover(List.of(root), Set.of());
            assertThat(found.problems()).containsOnlyKeys(pipe.toString());
            assertThat(found.problems().get(pipe.toString())).isEqualTo("skipped: not a regular file (a named pipe, socket or device)");
        }
        assertThat(discover(List.of(dir), Set.of()).items()).containsExactly("note.txt");
    }

    @Test
    void acceptsASingleFileAsRoot() throws Exception {
        Path f = Files.writeString(dir.resolve(".only-hidden-when-walked.txt"), "x");
        SourceItem[] seen = new SourceItem[1];
        new FolderConnector(List.of(f), Set.of()).discover(item -> {
            seen[0] = item;
            return true;
        }, (l, r) -> { });
        assertThat(seen[0].sizeBytes()).isEqualTo(1);
        assertThat(seen[0].locator()).isEqualTo(f.toAbsolutePath().toString());
    }

    @Test
    void followsLinksButNotLoopsAndReportsBrokenLinks() throws Exception {
        Path sub = Files.createDirectories(dir.resolve("sub"));
        Files.writeString(sub.resolve("file.txt"), "x");
        Files.createSymbolicLink(sub.resolve("loop"), dir);             // sub/loop -> its own ancestor
        Files.createSymbolicLink(dir.resolve("dangling.txt"), dir.resolve("missing.txt"));
        Found found = discover(List.of(dir), Set.of());
        assertThat(found.items()).containsExactly("sub/file.txt");
        assertThat(found.problems()).containsEntry(sub.resolve("loop").toString(), "symbolic link loop, not followed");
        assertThat(found.problems().get(dir.resolve("dangling.txt").toString())).contains("broken link");
    }

    @Test
    void stopsWhenTheSinkSaysSo() throws Exception {
        for (int i = 0; i < 10; i++) Files.writeString(dir.resolve("f" + i + ".txt"), "x");
        List<SourceItem> items = new ArrayList<>();
        new FolderConnector(List.of(dir), Set.of()).discover(item -> {
            items.add(item);
            return items.size() < 3;
        }, (l, r) -> { });
        assertThat(items).hasSize(3);
    }

    @Test
    void findsFilesWhoseNamesAreNotValidUtf8() throws Exception {
        // Java cannot spell such a name; the shell can. The walker must still find and read the file.
        Process p = new ProcessBuilder("sh", "-c", "printf 'content' > \"$(printf 'bad\\377name.txt')\"")
                .directory(dir.toFile()).start();
        assertThat(p.waitFor()).isZero();
        List<SourceItem> items = new ArrayList<>();
        new FolderConnector(List.of(dir), Set.of()).discover(items::add, (l, r) -> { });
        assertThat(items).singleElement().satisfies(item -> {
            assertThat(Files.readString(item.file())).isEqualTo("content");
            assertThat(item.locator()).contains("bad").contains("name.txt");
        });
    }
}
