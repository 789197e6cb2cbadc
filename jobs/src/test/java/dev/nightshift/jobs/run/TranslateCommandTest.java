package dev.nightshift.jobs.run;

import dev.nightshift.jobs.Cli;
import dev.nightshift.jobs.cli.ExitCodes;
import dev.nightshift.jobs.model.ModelCommandTest;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.poi.xwpf.usermodel.XWPFDocument;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** translate as a user runs it, with the tiny model: its words are nonsense, the files and rows are exact. */
class TranslateCommandTest {
    static final Path SAMPLES = SummarizeCommandTest.SAMPLES;
    static final String MODEL = ModelCommandTest.GEMMA3.toString();

    @TempDir
    Path dir;

    private String db() {
        return dir.resolve("db").toString();
    }

    private static Set<String> files(Path folder) throws IOException {
        try (Stream<Path> walk = Files.walk(folder)) {
            return walk.filter(Files::isRegularFile).map(p -> folder.relativize(p).toString()).collect(Collectors.toSet());
        }
    }

    @Test
    void theOutputFolderMirrorsTheSamplesAndARerunSkipsEverythingButStillWritesTheFiles() throws Exception {
        Path out = dir.resolve("out");
        Cli.Result first = Cli.run("translate", SAMPLES.toString(), "--to", "de", "--model", MODEL, "--out", out.toString(), "--db", db());
        assertThat(first.exitCode()).as(first.toString()).isEqualTo(ExitCodes.SOME_FAILED); // the two broken samples
        assertThat(first.out()).contains("translated          17").contains("skipped (unchanged) 1")
                .contains("images              4").contains("failed              2").contains("Wrote 18 translated files to " + out);
        // Every readable file and every document inside the archive and the mail, at its own relative path: in its own
        // format where nightshift can write it back, as Markdown otherwise.
        assertThat(files(out)).containsExactlyInAnyOrder(
                "archive/two-documents.zip/bees-and-farmers.txt.de.md",
                "archive/two-documents.zip/letters/heating-bill-correction.txt.de.md",
                "de/rhein-wasserstrasse.de.txt",
                "housing/flat-rent-increase.de.txt",
                "invoices/harbour-crane-hire-2024-117.de.txt",
                "invoices/library-software-licence.de.html",
                "letters/heating-bill-correction.de.txt",
                "mail/council-minutes.eml.de.md",
                "mail/council-minutes.eml/minutes-14-march.txt.de.md",
                "notes/balcony-garden.de.md",
                "notes/office-move-memo.rtf.de.md",
                "reports/bees-and-farmers.de.odt",
                "reports/library-annual-report.pdf.de.md",
                "reports/parents-council-minutes.de.docx",
                "reports/port-tonnage.de.docx",
                "schemas/invoice.de.json",
                "schemas/letter.de.json",
                "web/cycling-pilot.de.html");
        assertThat(first.out()).contains("in their own format  12").contains("as Markdown          6");
        // The German sample is already in the target language: the file as it is.
        assertThat(Files.readAllBytes(out.resolve("de/rhein-wasserstrasse.de.txt"))).isEqualTo(Files.readAllBytes(SAMPLES.resolve("de/rhein-wasserstrasse.txt")));
        // A translated Word file opens, with as many paragraphs and pictures as its original and other words.
        try (XWPFDocument before = new XWPFDocument(Files.newInputStream(SAMPLES.resolve("reports/port-tonnage.docx")));
             XWPFDocument after = new XWPFDocument(Files.newInputStream(out.resolve("reports/port-tonnage.de.docx")))) {
            assertThat(after.getParagraphs()).hasSameSizeAs(before.getParagraphs());
            assertThat(after.getAllPictures()).hasSameSizeAs(before.getAllPictures());
            assertThat(after.getParagraphs().get(1).getText()).isNotEqualTo(before.getParagraphs().get(1).getText());
        }
        // The web page keeps its markup; its words are the model's.
        String html = Files.readString(out.resolve("web/cycling-pilot.de.html"));
        String original = Files.readString(SAMPLES.resolve("web/cycling-pilot.html"));
        assertThat(html.split("<p", -1)).hasSameSizeAs(original.split("<p", -1));
        assertThat(html).isNotEqualTo(original);

        // The segments of the files in their own format, for review in a CAT tool: valid XLIFF 2.0, a <file> per
        // translated file (not the German one, which was copied), and the segments the check flagged listed by failures.
        Cli.Result xliff = Cli.run("export", "--format", "xliff", "--db", db());
        assertThat(xliff.exitCode()).as(xliff.toString()).isZero();
        net.sf.okapi.lib.xliff2.reader.XLIFFReader.validate(new java.io.ByteArrayInputStream(xliff.out().getBytes(java.nio.charset.StandardCharsets.UTF_8)), null);
        assertThat(xliff.out().split("<file ", -1)).hasSize(12);
        assertThat(xliff.out()).contains("srcLang=\"en\"").contains("trgLang=\"de\"").contains("original=\"" + SAMPLES.resolve("reports/port-tonnage.docx"));
        Cli.Result flagged = Cli.run("failures", "--segments", "--format", "json", "--db", db());
        assertThat(flagged.exitCode()).as(flagged.toString()).isZero();
        JsonNode flaggedRows = new ObjectMapper().readTree(flagged.out());
        assertThat(flaggedRows).isNotEmpty(); // the tiny model writes nonsense: lengths and numbers are off
        assertThat(flaggedRows.get(0).get("issues").get(0).get("issue").asText()).isIn("NUMBER_LOST", "LINK_LOST", "UNTRANSLATED", "LENGTH", "TAGS_MOVED");
        assertThat(Cli.run("failures", "--db", db()).out()).contains(flaggedRows.size() + " flagged segments in ");
        // The run's closing lines count the same segments (not their issues, which may be several each).
        assertThat(first.out()).contains(", " + flaggedRows.size() + " flagged (issues: ");
        // The report's totals count them (ReportCommandTest opens reports in a browser; the data block is enough here).
        Path report = dir.resolve("report.html");
        assertThat(Cli.run("report", "--db", db(), "--out", report.toString()).exitCode()).isZero();
        assertThat(Files.readString(report)).contains("\"segments_flagged\":" + flaggedRows.size() + "}");

        // Provenance: translations are outputs of task translation:de made with the versioned prompt.
        Cli.Result export = Cli.run("export", "--format", "jsonl", "--db", db());
        assertThat(export.exitCode()).isZero();
        List<String> lines = export.out().lines().toList();
        assertThat(lines).hasSize(18);
        ObjectMapper mapper = new ObjectMapper();
        for (String line : lines) {
            JsonNode record = mapper.readTree(line);
            assertThat(record.toString()).contains("\"task\":\"translation:de\"").contains("\"prompt_name\":\"translate\"");
        }

        // A rerun into the same folder does nothing new: the files in their own format are up to date.
        Cli.Result second = Cli.run("translate", SAMPLES.toString(), "--to", "de", "--model", MODEL, "--out", out.toString(), "--db", db());
        assertThat(second.exitCode()).as(second.toString()).isEqualTo(ExitCodes.OK);
        assertThat(second.out()).contains("translated          0").contains("skipped (unchanged) 20")
                .contains("in their own format  0 (and 12 already up to date)");

        // With --format md, another output folder is filled from the stored translations, every document as Markdown.
        Path again = dir.resolve("again");
        Cli.Result md = Cli.run("translate", SAMPLES.toString(), "--to", "de", "--model", MODEL, "--out", again.toString(), "--db", db(),
                "--format", "md");
        assertThat(md.exitCode()).as(md.toString()).isEqualTo(ExitCodes.OK);
        assertThat(md.out()).contains("skipped (unchanged) 20").contains("Wrote 18 translated files to " + again);
        assertThat(files(again)).containsExactlyInAnyOrder(
                "archive/two-documents.zip/bees-and-farmers.txt.de.md",
                "archive/two-documents.zip/letters/heating-bill-correction.txt.de.md",
                "de/rhein-wasserstrasse.txt.de.md",
                "housing/flat-rent-increase.txt.de.md",
                "invoices/harbour-crane-hire-2024-117.txt.de.md",
                "invoices/library-software-licence.html.de.md",
                "letters/heating-bill-correction.txt.de.md",
                "mail/council-minutes.eml.de.md",
                "mail/council-minutes.eml/minutes-14-march.txt.de.md",
                "notes/balcony-garden.md.de.md",
                "notes/office-move-memo.rtf.de.md",
                "reports/bees-and-farmers.odt.de.md",
                "reports/library-annual-report.pdf.de.md",
                "reports/parents-council-minutes.docx.de.md",
                "reports/port-tonnage.docx.de.md",
                "schemas/invoice.json.de.md",
                "schemas/letter.json.de.md",
                "web/cycling-pilot.html.de.md");
        assertThat(Files.readString(again.resolve("de/rhein-wasserstrasse.txt.de.md")).strip())
                .isEqualTo(Files.readString(SAMPLES.resolve("de/rhein-wasserstrasse.txt")).strip());
        // Markdown headings and list items come back as headings and list items, blank lines where they were.
        List<String> lines0 = Files.readAllLines(SAMPLES.resolve("notes/balcony-garden.md"));
        List<String> translated = Files.readAllLines(again.resolve("notes/balcony-garden.md.de.md"));
        assertThat(translated).hasSameSizeAs(lines0);
        for (int i = 0; i < lines0.size(); i++) {
            String o = lines0.get(i);
            String t = translated.get(i);
            if (o.isBlank()) assertThat(t).as("line %d", i + 1).isBlank();
            if (o.startsWith("## ")) assertThat(t).as("line %d", i + 1).startsWith("## ");
            if (o.startsWith("- ")) assertThat(t).as("line %d", i + 1).startsWith("- ");
        }
    }

    /**
     * Unchanged bytes do not settle the documents inside an archive for a task they have not seen: another
     * target language translates the zip's entries too (the samples' zip, copied so the test stays short;
     * {@code SummarizeCommandTest} covers other models and a mail's attachment).
     */
    @Test
    void anotherLanguageOnTheSameDatabaseTranslatesTheEntriesOfAnUnchangedArchiveToo() throws Exception {
        Path in = Files.createDirectories(dir.resolve("in"));
        Files.copy(SAMPLES.resolve("archive/two-documents.zip"), in.resolve("two-documents.zip"));
        Set<String> expected = Set.of("two-documents.zip/bees-and-farmers.txt.%s.md", "two-documents.zip/letters/heating-bill-correction.txt.%s.md");
        Path de = dir.resolve("de");
        Cli.Result first = Cli.run("translate", in.toString(), "--to", "de", "--from", "en", "--model", MODEL, "--out", de.toString(), "--db", db());
        assertThat(first.exitCode()).as(first.toString()).isEqualTo(ExitCodes.OK);
        assertThat(files(de)).isEqualTo(expected.stream().map(f -> f.formatted("de")).collect(Collectors.toSet()));

        Path fr = dir.resolve("fr");
        Cli.Result other = Cli.run("translate", in.toString(), "--to", "fr", "--from", "en", "--model", MODEL, "--out", fr.toString(), "--db", db());
        assertThat(other.exitCode()).as(other.toString()).isEqualTo(ExitCodes.OK);
        assertThat(other.out()).contains("found inside them   2").contains("translated          2");
        assertThat(files(fr)).isEqualTo(expected.stream().map(f -> f.formatted("fr")).collect(Collectors.toSet()));

        Path frAgain = dir.resolve("fr-again");
        Cli.Result rerun = Cli.run("translate", in.toString(), "--to", "fr", "--from", "en", "--model", MODEL, "--out", frAgain.toString(), "--db", db());
        assertThat(rerun.exitCode()).as(rerun.toString()).isEqualTo(ExitCodes.OK);
        assertThat(rerun.out()).contains("skipped (unchanged) 1");
        assertThat(files(frAgain)).isEqualTo(files(fr));
    }

    @Test
    void archiveEntriesNamedToClimbOutStayInsideTheOutputFolder() throws Exception {
        Path in = Files.createDirectories(dir.resolve("in"));
        try (OutputStream f = Files.newOutputStream(in.resolve("evil.zip")); ZipOutputStream zip = new ZipOutputStream(f)) {
            for (String name : List.of("../../escaped.txt", "/tmp/absolute.txt", "ok/fine.txt")) {
                zip.putNextEntry(new ZipEntry(name));
                zip.write(("The harbour master counted the ships that came in on " + name.length() + " days.").getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        Path out = dir.resolve("nested").resolve("out");
        Cli.Result r = Cli.run("translate", in.toString(), "--to", "fr", "--from", "en", "--model", MODEL, "--out", out.toString(), "--db", db());
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.OK);
        // ".." is cleaned to "__" and tagged with a hash of the name it had, so that it cannot meet an entry really named "__".
        assertThat(files(out)).hasSize(3).contains("evil.zip/tmp/absolute.txt.fr.md", "evil.zip/ok/fine.txt.fr.md")
                .anyMatch(f -> f.matches("evil\\.zip/__~[0-9a-f]{8}/__~[0-9a-f]{8}/escaped\\.txt\\.fr\\.md"));
        // Nothing beside or above the output folder.
        assertThat(files(dir.resolve("nested"))).allMatch(p -> p.startsWith("out/"));
        try (Stream<Path> top = Files.list(dir)) {
            assertThat(top.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith("db."))).containsExactlyInAnyOrder("in", "nested");
        }
    }

    @Test
    void badOptionsAreRefusedBeforeAnythingIsRead() throws Exception {
        Path in = Files.createDirectories(dir.resolve("in"));
        Files.writeString(in.resolve("a.txt"), "Some words to translate.");
        Cli.Result inside = Cli.run("translate", in.toString(), "--to", "de", "--model", MODEL, "--out", in.resolve("out").toString(), "--db", db());
        assertThat(inside.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(inside.err()).contains("lies inside the input");

        Cli.Result unknown = Cli.run("translate", in.toString(), "--to", "xx", "--model", MODEL, "--out", dir.resolve("o").toString(), "--db", db());
        assertThat(unknown.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(unknown.err()).contains("--to takes a language code");

        Cli.Result same = Cli.run("translate", in.toString(), "--to", "de", "--from", "de", "--model", MODEL, "--out", dir.resolve("o").toString(), "--db", db());
        assertThat(same.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(same.err()).contains("same");

        Cli.Result noModel = Cli.run("translate", in.toString(), "--to", "de", "--out", dir.resolve("o").toString(), "--db", db());
        assertThat(noModel.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(noModel.err()).contains("--model");

        Cli.Result noGlossary = Cli.run("translate", in.toString(), "--to", "de", "--model", MODEL, "--out", dir.resolve("o").toString(),
                "--db", db(), "--glossary", dir.resolve("missing.csv").toString());
        assertThat(noGlossary.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(noGlossary.err()).contains("missing.csv: no such file");
        Path broken = Files.writeString(dir.resolve("terms.csv"), "crane,Kran\n\"open,Hafen\n");
        Cli.Result badGlossary = Cli.run("translate", in.toString(), "--to", "de", "--model", MODEL, "--out", dir.resolve("o").toString(),
                "--db", db(), "--glossary", broken.toString());
        assertThat(badGlossary.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(badGlossary.err()).contains("terms.csv line 2: a quote is not closed");
        Cli.Result keepWithMd = Cli.run("translate", in.toString(), "--to", "de", "--model", MODEL, "--out", dir.resolve("o").toString(),
                "--db", db(), "--keep", "NightShift", "--format", "md");
        assertThat(keepWithMd.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(keepWithMd.err()).contains("drop --format md");

        assertThat(Files.exists(dir.resolve("db.mv.db"))).isFalse();
        assertThat(Files.exists(dir.resolve("o"))).isFalse();
    }
}
