package dev.nightshift.connectors.export;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TranslatedFilesTest {
    @TempDir
    Path dir;

    @Test
    void filesMirrorTheirPathUnderTheRootAndEntriesContinueTheirContainersPath() {
        Path root = dir.resolve("in");
        TranslatedFiles files = new TranslatedFiles(dir.resolve("out"), List.of(root), "de");
        Path out = dir.resolve("out");
        assertThat(files.target(root.resolve("notes/a.txt").toString())).contains(out.resolve("notes/a.txt.de.md"));
        assertThat(files.target(root + "/x.zip!/docs/b.pdf")).contains(out.resolve("x.zip/docs/b.pdf.de.md"));
        assertThat(files.target(root + "/mail.mbox!/message-2.eml!/invoice.pdf"))
                .contains(out.resolve("mail.mbox/message-2.eml/invoice.pdf.de.md"));
        assertThat(files.target(dir.resolve("elsewhere/c.txt").toString())).isEmpty();
    }

    @Test
    void aFileGivenAsRootKeepsItsNameAndSeveralRootsKeepTheirs() {
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        Path single = dir.resolve("report.docx");
        Path out = dir.resolve("out");
        assertThat(new TranslatedFiles(out, List.of(single), "fr").target(single.toString())).contains(out.resolve("report.docx.fr.md"));
        TranslatedFiles two = new TranslatedFiles(out, List.of(a, b), "fr");
        assertThat(two.target(a.resolve("same.txt").toString())).contains(out.resolve("a/same.txt.fr.md"));
        assertThat(two.target(b.resolve("same.txt").toString())).contains(out.resolve("b/same.txt.fr.md"));
    }

    @Test
    void hostileEntryNamesCannotLeaveTheOutputFolder() throws IOException {
        Path root = dir.resolve("in");
        Path out = dir.resolve("out");
        TranslatedFiles files = new TranslatedFiles(out, List.of(root), "de");
        for (String entry : List.of("../../x", "..\\..\\x", "/etc/passwd", "a/../../../x", "...", "./.././x", "C:\\Windows\\x", "")) {
            String locator = root + "/evil.zip!/" + entry;
            Path written = files.write(locator, "text").orElseThrow();
            assertThat(written.normalize()).as(entry).startsWith(out);
            assertThat(written.toRealPath()).as(entry).startsWith(out.toRealPath());
        }
        // Nothing appeared beside the output folder, or above it.
        try (Stream<Path> beside = Files.list(dir)) {
            assertThat(beside.map(p -> p.getFileName().toString())).containsExactly("out");
        }
    }

    @Test
    void aSymbolicLinkInsideTheOutputFolderCannotLeadOut() throws IOException {
        Path root = dir.resolve("in");
        Path out = Files.createDirectories(dir.resolve("out"));
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Files.createSymbolicLink(out.resolve("x.zip"), outside);
        TranslatedFiles files = new TranslatedFiles(out, List.of(root), "de");
        assertThatThrownBy(() -> files.write(root + "/x.zip!/a.txt", "text")).isInstanceOf(IOException.class)
                .hasMessageContaining("outside");
        // Nor are folders made behind the link for entries deeper down.
        assertThatThrownBy(() -> files.write(root + "/x.zip!/deep/er/b.txt", "text")).isInstanceOf(IOException.class)
                .hasMessageContaining("leads outside");
        try (Stream<Path> s = Files.list(outside)) {
            assertThat(s).isEmpty();
        }
        // A link that stays inside the folder is followed.
        Files.createSymbolicLink(out.resolve("y.zip"), Files.createDirectories(out.resolve("real")));
        assertThat(files.write(root + "/y.zip!/c.txt", "text")).contains(out.resolve("y.zip/c.txt.de.md"));
        assertThat(out.resolve("real/c.txt.de.md")).exists();
    }

    /** Entries whose names clean to one name ({@code ../x.txt}, {@code __/x.txt}) each get a file, and keep it. */
    @Test
    void documentsWhoseNamesCleanAlikeGetFilesOfTheirOwn() throws IOException {
        Path root = dir.resolve("in");
        Path out = dir.resolve("out");
        List<String> entries = List.of("../x.txt", "__/x.txt", "..\\x.txt", "./__/x.txt", "__/./x.txt", "a/x.txt", "a//x.txt");
        java.util.Map<Path, String> written = new java.util.HashMap<>();
        TranslatedFiles files = new TranslatedFiles(out, List.of(root), "de");
        for (String entry : entries) {
            Path file = files.write(root + "/a.zip!/" + entry, "translation of " + entry).orElseThrow();
            assertThat(written.put(file, entry)).as(entry + " took the file of another entry").isNull();
        }
        assertThat(written).hasSize(entries.size());
        written.forEach((file, entry) -> assertThat(file).content().isEqualTo("translation of " + entry + "\n"));
        // The entry whose name needed no cleaning keeps its natural name.
        assertThat(written).containsEntry(out.resolve("a.zip/__/x.txt.de.md"), "__/x.txt");
        // A new session (a rerun) gives every document the same file again.
        TranslatedFiles again = new TranslatedFiles(out, List.of(root), "de");
        for (String entry : entries) {
            assertThat(written).containsEntry(again.write(root + "/a.zip!/" + entry, "again").orElseThrow(), entry);
        }
    }

    @Test
    void overLongNamesAreShortenedButStayDistinct() {
        Path root = dir.resolve("in");
        TranslatedFiles files = new TranslatedFiles(dir.resolve("out"), List.of(root), "de");
        String a = "ä".repeat(150) + "-one.txt";
        String b = "ä".repeat(150) + "-two.txt";
        Path ta = files.target(root.resolve(a).toString()).orElseThrow();
        Path tb = files.target(root.resolve(b).toString()).orElseThrow();
        assertThat(ta).isNotEqualTo(tb);
        assertThat(ta.getFileName().toString()).endsWith(".de.md");
        assertThat(ta.getFileName().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length).isLessThanOrEqualTo(200);
    }

    @Test
    void writingReplacesAnEarlierFileWhole() throws IOException {
        Path root = dir.resolve("in");
        TranslatedFiles files = new TranslatedFiles(dir.resolve("out"), List.of(root), "de");
        Path first = files.write(root.resolve("a.txt").toString(), "alt").orElseThrow();
        files.write(root.resolve("a.txt").toString(), "neu");
        assertThat(Files.readString(first)).isEqualTo("neu\n");
        try (Stream<Path> s = Files.list(first.getParent())) {
            assertThat(s).containsExactly(first); // no temporary files left
        }
    }

    @Test
    void aSameFormatFileHasTheLanguageBeforeItsEndingAndIsNeverHalfWritten() throws IOException {
        Path root = dir.resolve("in");
        Path out = dir.resolve("out");
        TranslatedFiles files = new TranslatedFiles(out, List.of(root), "de");
        assertThat(files.claimSameFormat(root.resolve("reports/q1.report.docx").toString())).contains(out.resolve("reports/q1.report.de.docx"));
        assertThat(files.writeSameFormat(root.resolve("web/page.html").toString(), temp -> Files.writeString(temp, "<p>Hallo</p>")))
                .contains(out.resolve("web/page.de.html"));
        assertThat(out.resolve("web/page.de.html")).hasContent("<p>Hallo</p>");
        // A body that fails leaves neither the file nor its temporary.
        assertThatThrownBy(() -> files.writeSameFormat(root.resolve("web/other.html").toString(), temp -> {
            Files.writeString(temp, "<p>half");
            throw new IOException("the disk is full");
        })).hasMessage("the disk is full");
        try (var listed = Files.list(out.resolve("web"))) {
            assertThat(listed.map(p -> p.getFileName().toString())).containsExactly("page.de.html");
        }
        // Two documents whose names clean alike still get files of their own, the ending kept last.
        Path a = files.writeSameFormat(root + "/x.zip!/../n.md", temp -> Files.writeString(temp, "a")).orElseThrow();
        Path b = files.writeSameFormat(root + "/x.zip!/__/n.md", temp -> Files.writeString(temp, "b")).orElseThrow();
        assertThat(a).isNotEqualTo(b);
        assertThat(a.getFileName().toString()).endsWith(".de.md");
        assertThat(b.getFileName().toString()).endsWith(".de.md");
    }
}
