package dev.nightshift.connectors.extract;

import dev.nightshift.pipeline.core.Extraction;
import dev.nightshift.pipeline.core.ExtractionStatus;
import dev.nightshift.pipeline.core.SourceItem;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.encryption.AccessPermission;
import org.apache.pdfbox.pdmodel.encryption.StandardProtectionPolicy;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class TikaExtractorTest {
    static final Path SAMPLES = Path.of("..", "samples").toAbsolutePath().normalize();
    static TikaExtractor extractor;

    @TempDir
    Path dir;

    @BeforeAll
    static void open() {
        extractor = new TikaExtractor(Duration.ofSeconds(60), 1_000_000);
    }

    @AfterAll
    static void close() {
        extractor.close();
    }

    static Extraction extract(Path file) throws IOException {
        if (extractor == null) open();
        return extractor.extract(new SourceItem(file.toString(), file, Files.size(file), Files.getLastModifiedTime(file).toInstant()));
    }

    /** What each sample must give: a status, and for readable files a phrase of their text. */
    static final Map<String, String> EXPECTED = Map.ofEntries(
            Map.entry("reports/library-annual-report.pdf", "reading room"),
            Map.entry("reports/parents-council-minutes.docx", "Mill Street"),
            Map.entry("reports/bees-and-farmers.odt", "flower strips"),
            Map.entry("web/cycling-pilot.html", "protected bicycle lanes"),
            Map.entry("notes/balcony-garden.md", "cherry tomatoes"),
            Map.entry("notes/office-move-memo.rtf", "east wing"),
            Map.entry("letters/heating-bill-correction.txt", "4,120 kilowatt hours"),
            Map.entry("de/rhein-wasserstrasse.txt", "Fahrrinne"),
            Map.entry("mail/council-minutes.eml", "speed limit on Mill Street"), // the body; the attachment is its own
            Map.entry("archive/two-documents.zip", "CONTAINER"),
            Map.entry("broken/corrupt-report.pdf", "PARSE_ERROR"),
            Map.entry("broken/empty.txt", "EMPTY"),
            Map.entry("reports/port-tonnage.docx", "east quay"), // and two pictures inside
            Map.entry("pictures/quarterly-tonnage-chart.png", "IMAGE"),
            Map.entry("pictures/east-quay-crane.jpg", "IMAGE"),
            Map.entry("invoices/harbour-crane-hire-2024-117.txt", "Total due"),
            Map.entry("invoices/library-software-licence.html", "Riverside Community Library"),
            Map.entry("housing/flat-rent-increase.txt", "Rent adjustment from 1 December 2024"),
            Map.entry("schemas/invoice.json", "invoice_number"),
            Map.entry("schemas/letter.json", "reply_needed"));

    @Test
    void everySampleIsExtractedOrFailsWithAReason() throws IOException {
        List<Path> samples;
        try (Stream<Path> walk = Files.walk(SAMPLES)) {
            samples = walk.filter(Files::isRegularFile).sorted().toList();
        }
        assertThat(samples).extracting(p -> SAMPLES.relativize(p).toString())
                .containsExactlyInAnyOrderElementsOf(EXPECTED.keySet());
        for (Path sample : samples) {
            String name = SAMPLES.relativize(sample).toString();
            Extraction e = extract(sample);
            String expected = EXPECTED.get(name);
            if (expected.equals(expected.toUpperCase())) {
                assertThat(e.status()).as(name).isEqualTo(ExtractionStatus.valueOf(expected));
                assertThat(e.error()).as(name).isNotBlank();
            } else {
                assertThat(e.status()).as(name + ": " + e.error()).isEqualTo(ExtractionStatus.SUCCESS);
                assertThat(e.text()).as(name).contains(expected);
                assertThat(e.parser()).as(name).isNotBlank();
                assertThat(e.tikaVersion()).isNotBlank();
            }
        }
    }

    @Test
    void archiveEntriesAndAttachmentsAreDocumentsOfTheirOwn() throws IOException {
        Extraction zip = extract(SAMPLES.resolve("archive/two-documents.zip"));
        assertThat(zip.status()).isEqualTo(ExtractionStatus.CONTAINER);
        assertThat(zip.embedded()).extracting(e -> e.path())
                .containsExactly("bees-and-farmers.txt", "letters/heating-bill-correction.txt");
        var letter = zip.embedded().get(1);
        assertThat(letter.extraction().text()).contains("4,120 kilowatt hours");
        // The entry is identified by its own bytes: the same letter as a loose file has the same SHA-256.
        assertThat(letter.sha256()).isEqualTo(dev.nightshift.pipeline.core.Hashing.sha256(
                SAMPLES.resolve("letters/heating-bill-correction.txt")));
        assertThat(letter.locatorIn("/x/two-documents.zip")).isEqualTo("/x/two-documents.zip!/letters/heating-bill-correction.txt");

        Extraction mail = extract(SAMPLES.resolve("mail/council-minutes.eml"));
        assertThat(mail.status()).isEqualTo(ExtractionStatus.SUCCESS);
        assertThat(mail.text()).doesNotContain("speed display");
        // Who wrote to whom, when and about what, above the body: a summary or an answer is checked against it.
        assertThat(mail.text()).startsWith("From: Amira Haddad <amira@example.org>\nTo: board@example.org\n"
                + "Date: 2026-03-15 (UTC)\nSubject: Minutes of the parents' council, and next steps\n\n");
        assertThat(mail.embedded()).singleElement().satisfies(a -> {
            assertThat(a.path()).isEqualTo("minutes-14-march.txt");
            assertThat(a.extraction().text()).contains("speed display");
            assertThat(a.extraction().language()).isEqualTo("en");
        });
    }

    @Test
    void aZipDamagedAfterItsFirstHeaderIsAParseErrorAndAnEmptyZipIsEmpty() throws IOException {
        // Tika's zip reader finds no entry in either and says nothing; the zip's directory tells them apart.
        Path headerOnly = Files.write(dir.resolve("header-only.zip"), new byte[] {'P', 'K', 3, 4});
        Path garbage = Files.write(dir.resolve("garbage.zip"), "PK\u0005\u0006garbage after the end record".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        for (Path damaged : List.of(headerOnly, garbage)) {
            Extraction e = extract(damaged);
            assertThat(e.status()).as(damaged.getFileName().toString()).isEqualTo(ExtractionStatus.PARSE_ERROR);
            assertThat(e.error()).startsWith("a damaged archive: ");
        }
        Path empty = dir.resolve("empty.zip");
        try (var zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(empty))) {
            zip.finish();
        }
        Extraction e = extract(empty);
        assertThat(e.status()).isEqualTo(ExtractionStatus.EMPTY);
        assertThat(e.error()).isEqualTo("the archive holds no files");
    }

    @Test
    void nestedArchivesKeepTheirPath() throws IOException {
        Path inner = dir.resolve("inner.zip");
        try (var out = new java.util.zip.ZipOutputStream(Files.newOutputStream(inner))) {
            out.putNextEntry(new java.util.zip.ZipEntry("deep/note.txt"));
            out.write("A note deep inside two archives, about harbours and ships.".getBytes());
            out.closeEntry();
        }
        Path outer = dir.resolve("outer.zip");
        try (var out = new java.util.zip.ZipOutputStream(Files.newOutputStream(outer))) {
            out.putNextEntry(new java.util.zip.ZipEntry("inner.zip"));
            out.write(Files.readAllBytes(inner));
            out.closeEntry();
        }
        Extraction e = extract(outer);
        assertThat(e.embedded()).extracting(d -> d.path()).containsExactly("inner.zip", "inner.zip/deep/note.txt");
        assertThat(e.embedded().get(0).extraction().status()).isEqualTo(ExtractionStatus.CONTAINER);
        assertThat(e.embedded().get(1).extraction().text()).contains("harbours");
    }

    @Test
    void tarGzEntriesAndMboxMessagesAreDocumentsOfTheirOwn() throws IOException {
        Path tgz = dir.resolve("reports.tar.gz");
        try (var out = new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(
                new org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream(Files.newOutputStream(tgz)))) {
            byte[] body = "Quarterly report: the harbour handled more ships than ever.".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            var entry = new org.apache.commons.compress.archivers.tar.TarArchiveEntry("2024/q1.txt");
            entry.setSize(body.length);
            out.putArchiveEntry(entry);
            out.write(body);
            out.closeArchiveEntry();
        }
        Extraction tar = extract(tgz);
        assertThat(tar.embedded()).extracting(d -> d.path()).contains("reports.tar/2024/q1.txt");
        assertThat(tar.embedded().stream().filter(d -> d.path().endsWith("q1.txt")).findFirst().orElseThrow()
                .extraction().text()).contains("more ships than ever");

        Path mbox = Files.writeString(dir.resolve("inbox.mbox"), """
                From alice@example.org Mon Jan  1 10:00:00 2024
                From: alice@example.org
                Subject: Boxes

                The boxes arrived on Monday, all forty of them.

                From bob@example.org Tue Jan  2 11:00:00 2024
                From: bob@example.org
                Subject: Invoice

                The invoice for the boxes is attached to the next mail.
                """);
        Extraction mail = extract(mbox);
        assertThat(mail.embedded()).hasSize(2);
        assertThat(mail.embedded().get(0).extraction().text()).contains("all forty of them");
        assertThat(mail.embedded().get(1).extraction().text()).contains("invoice for the boxes");
    }

    @Test
    void sevenZipEntriesAreDocumentsOfTheirOwn() throws IOException {
        Path archive = dir.resolve("notes.7z");
        try (var out = new org.apache.commons.compress.archivers.sevenz.SevenZOutputFile(archive.toFile())) {
            byte[] body = "Minutes: the cooperative will repaint the stairwell in May.".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            var entry = new org.apache.commons.compress.archivers.sevenz.SevenZArchiveEntry();
            entry.setName("minutes/may.txt");
            // 7-Zip always writes one; Tika 3.3.1 rejects the whole archive for an entry without it.
            entry.setLastModifiedDate(new java.util.Date(1_700_000_000_000L));
            entry.setSize(body.length);
            out.putArchiveEntry(entry);
            out.write(body);
            out.closeArchiveEntry();
        }
        Extraction e = extract(archive);
        assertThat(e.status()).as(e.error()).isEqualTo(ExtractionStatus.CONTAINER);
        assertThat(e.embedded()).singleElement().satisfies(d -> {
            assertThat(d.path()).isEqualTo("minutes/may.txt");
            assertThat(d.extraction().text()).contains("repaint the stairwell");
        });
    }

    @Test
    void detectsTheLanguage() throws IOException {
        assertThat(extract(SAMPLES.resolve("de/rhein-wasserstrasse.txt")).language()).isEqualTo("de");
        assertThat(extract(SAMPLES.resolve("letters/heating-bill-correction.txt")).language()).isEqualTo("en");
    }

    @Test
    void anEncryptedPdfIsReportedAsEncrypted() throws IOException {
        Path pdf = dir.resolve("secret.pdf");
        try (PDDocument doc = new PDDocument()) {
            PDPage page = new PDPage();
            doc.addPage(page);
            try (PDPageContentStream content = new PDPageContentStream(doc, page)) {
                content.beginText();
                content.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 12);
                content.newLineAtOffset(50, 700);
                content.showText("The launch codes are in the drawer.");
                content.endText();
            }
            StandardProtectionPolicy policy = new StandardProtectionPolicy("owner-secret", "user-secret", new AccessPermission());
            policy.setEncryptionKeyLength(128);
            doc.protect(policy);
            doc.save(pdf.toFile());
        }
        Extraction e = extract(pdf);
        assertThat(e.status()).isEqualTo(ExtractionStatus.ENCRYPTED);
        assertThat(e.error()).containsIgnoringCase("password");
        assertThat(e.text()).isEmpty();
    }

    @Test
    void theWriteLimitGivesAPartialExtractionThatSaysSo() throws IOException {
        Path big = Files.writeString(dir.resolve("big.txt"), "All work and no play makes a dull day. ".repeat(2000));
        try (TikaExtractor small = new TikaExtractor(Duration.ofSeconds(60), 1000)) {
            Extraction e = small.extract(new SourceItem(big.toString(), big, Files.size(big), null));
            assertThat(e.status()).isEqualTo(ExtractionStatus.PARTIAL);
            assertThat(e.text().length()).isLessThanOrEqualTo(1000);
            assertThat(e.error()).contains("write limit");
        }
    }

    @Test
    void aParserThatTakesTooLongTimesOut() throws IOException {
        // A deeply nested archive is slow enough to exceed a 1 ms budget on any machine.
        Path zip = SAMPLES.resolve("archive/two-documents.zip");
        try (TikaExtractor impatient = new TikaExtractor(Duration.ofMillis(1), 1_000_000)) {
            Extraction e = impatient.extract(new SourceItem(zip.toString(), zip, Files.size(zip), null));
            assertThat(e.status()).isEqualTo(ExtractionStatus.TIMEOUT);
            assertThat(e.status().retryable()).isTrue();
        }
    }

    @Test
    void aFileThatVanishedIsUnreadable() {
        Path gone = dir.resolve("gone.pdf");
        Extraction e = extractor.extract(new SourceItem(gone.toString(), gone, 10, null));
        assertThat(e.status()).isEqualTo(ExtractionStatus.UNREADABLE);
    }

    @Test
    void bytesWithoutAParserAreUnsupportedOrEmpty() throws IOException {
        byte[] noise = new byte[4096];
        new java.util.Random(1).nextBytes(noise);
        Path bin = Files.write(dir.resolve("noise.bin"), noise);
        Extraction e = extract(bin);
        assertThat(e.status()).isIn(ExtractionStatus.UNSUPPORTED, ExtractionStatus.EMPTY);
        assertThat(e.error()).isNotBlank();
    }

    static final Path CORPUS = Path.of("..", "..", "shared", "corpus").toAbsolutePath().normalize();

    /** Tests on files of ../shared/corpus skip, saying so, where it is not there. */
    static Path corpusFile(String name) {
        Path file = CORPUS.resolve(name);
        if (!Files.exists(file)) System.err.println("TikaExtractorTest SKIPPED a case: no corpus file " + file);
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(file), "no corpus file " + file);
        return file;
    }

    @Test
    void aZeroByteFileAndAZeroByteEntryGetTheSameStatus() throws IOException {
        Path empty = Files.write(dir.resolve("empty.txt"), new byte[0]);
        Path zip = dir.resolve("with-empty.zip");
        try (var out = new java.util.zip.ZipOutputStream(Files.newOutputStream(zip))) {
            out.putNextEntry(new java.util.zip.ZipEntry("empty.java"));
            out.closeEntry();
            out.putNextEntry(new java.util.zip.ZipEntry("notes.txt"));
            out.write("The harbour opens at six in the morning.".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            out.closeEntry();
        }
        Extraction file = extract(empty);
        Extraction entry = extract(zip).embedded().stream().filter(d -> d.path().equals("empty.java")).findFirst().orElseThrow().extraction();
        assertThat(file.status()).isEqualTo(ExtractionStatus.EMPTY);
        assertThat(entry.status()).isEqualTo(ExtractionStatus.EMPTY);
        assertThat(entry.error()).isEqualTo(file.error());
    }

    @Test
    void base64IsNotTextAndAThumbnailIsNotItsOwnName() throws Exception {
        byte[] payload = new byte[6000];
        new java.util.Random(3).nextBytes(payload);
        Path blob = Files.writeString(dir.resolve("signed-payload.txt"), java.util.Base64.getMimeEncoder().encodeToString(payload));
        Extraction e = extract(blob);
        assertThat(e.status()).isEqualTo(ExtractionStatus.NOT_TEXT);
        assertThat(e.error()).contains("not language").contains("base64").contains("--accept-not-text");
        // The text is kept for a person to look at, and a user who knows better can have it read as text.
        assertThat(e.text().replaceAll("\\s", "")).isEqualTo(Files.readString(blob).replaceAll("\\s", ""));
        try (TikaExtractor accepting = new TikaExtractor(Duration.ofSeconds(60), 1_000_000).acceptingNotText(true)) {
            Extraction read = accepting.extract(new SourceItem(blob.toString(), blob, Files.size(blob), Files.getLastModifiedTime(blob).toInstant()));
            assertThat(read.status()).isEqualTo(ExtractionStatus.SUCCESS);
            assertThat(read.text()).isEqualTo(e.text());
            // Another name, so that documents judged NOT_TEXT by the default extractor are read again.
            assertThat(accepting.name()).isNotEqualTo(extractor.name()).endsWith("+anytext");
        }

        // A presentation with a thumbnail picture, as Office saves them: Tika's text for the picture is the
        // picture's own path inside the file, which must not pass for content.
        // (POI's presentation template carries docProps/thumbnail.jpeg, as files saved by PowerPoint do.)
        Path pptx = dir.resolve("with-thumbnail.pptx");
        try (org.apache.poi.xslf.usermodel.XMLSlideShow show = new org.apache.poi.xslf.usermodel.XMLSlideShow()) {
            var box = show.createSlide().createTextBox();
            box.setText("The committee met on Tuesday and agreed on the new timetable.");
            try (var out = Files.newOutputStream(pptx)) {
                show.write(out);
            }
        }
        Extraction slides = extract(pptx);
        assertThat(slides.status()).isEqualTo(ExtractionStatus.SUCCESS);
        // The thumbnail is a picture: recorded as an image with what it is, not as an empty document.
        assertThat(slides.embedded()).filteredOn(d -> d.path().contains("thumbnail")).singleElement().satisfies(d -> {
            assertThat(d.extraction().status()).isEqualTo(ExtractionStatus.IMAGE);
            assertThat(d.extraction().error()).startsWith("JPEG image, ").contains(" pixels");
        });
    }

    /** For a vision model, the bytes of pictures inside documents come with their entries, when asked for. */
    @Test
    void picturesInsideDocumentsComeWithTheirBytesWhenAskedFor(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path png = dir.resolve("chart.png");
        javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(64, 48, java.awt.image.BufferedImage.TYPE_INT_RGB), "png", png.toFile());
        Path docx = dir.resolve("report.docx");
        try (org.apache.poi.xwpf.usermodel.XWPFDocument doc = new org.apache.poi.xwpf.usermodel.XWPFDocument()) {
            var run = doc.createParagraph().createRun();
            run.setText("The chart below shows the tonnage.");
            try (var in = Files.newInputStream(png)) {
                run.addPicture(in, org.apache.poi.xwpf.usermodel.Document.PICTURE_TYPE_PNG, "chart.png",
                        org.apache.poi.util.Units.toEMU(64), org.apache.poi.util.Units.toEMU(48));
            }
            try (var out = Files.newOutputStream(docx)) {
                doc.write(out);
            }
        }
        try (TikaExtractor keeping = TikaExtractor.inProcess(Duration.ofSeconds(60), 1_000_000, false).keepingImages(1 << 20)) {
            assertThat(keeping.name()).endsWith("+images");
            Extraction e = keeping.extract(new SourceItem(docx.toString(), docx, Files.size(docx), null));
            assertThat(e.embedded()).filteredOn(d -> d.extraction().status() == ExtractionStatus.IMAGE).singleElement()
                    .satisfies(d -> assertThat(d.imageBytes()).isEqualTo(Files.readAllBytes(png)));
        }
        // Not asked for: no bytes.
        assertThat(extract(docx).embedded()).allSatisfy(d -> assertThat(d.imageBytes()).isNull());

        // A PDF's pictures, too (Tika hands them over only when asked: each one once).
        Path pdf = dir.resolve("with-picture.pdf");
        try (PDDocument doc = new PDDocument()) {
            PDPage page = new PDPage();
            doc.addPage(page);
            var picture = org.apache.pdfbox.pdmodel.graphics.image.LosslessFactory.createFromImage(doc,
                    new java.awt.image.BufferedImage(80, 60, java.awt.image.BufferedImage.TYPE_INT_RGB));
            try (PDPageContentStream content = new PDPageContentStream(doc, page)) {
                content.beginText();
                content.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 12);
                content.newLineAtOffset(50, 700);
                content.showText("A page with a picture.");
                content.endText();
                content.drawImage(picture, 50, 500);
                content.drawImage(picture, 200, 500);
            }
            doc.save(pdf.toFile());
        }
        try (TikaExtractor keeping = TikaExtractor.inProcess(Duration.ofSeconds(60), 1_000_000, false).keepingImages(1 << 20)) {
            Extraction e = keeping.extract(new SourceItem(pdf.toString(), pdf, Files.size(pdf), null));
            assertThat(e.embedded()).filteredOn(d -> d.extraction().status() == ExtractionStatus.IMAGE).singleElement()
                    .satisfies(d -> assertThat(d.imageBytes()).isNotNull());
        }
        assertThat(extract(pdf).embedded()).isEmpty();
    }

    /** Pictures are images, not failures: their format and size (and EXIF date and camera) are recorded. */
    @Test
    void picturesAreRecordedAsImagesWithWhatTheyAre(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path png = dir.resolve("drawing.png");
        java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(120, 80, java.awt.image.BufferedImage.TYPE_INT_RGB);
        javax.imageio.ImageIO.write(image, "png", png.toFile());
        Extraction e = extract(png);
        assertThat(e.status()).isEqualTo(ExtractionStatus.IMAGE);
        assertThat(e.status().read()).isTrue();
        assertThat(e.error()).isEqualTo("PNG image, 120x80 pixels");
        assertThat(e.mediaType()).isEqualTo("image/png");

        // A picture its parser cannot read is a picture all the same: recorded as one, with the reason.
        byte[] bytes = Files.readAllBytes(png);
        Path cut = Files.write(dir.resolve("cut.png"), java.util.Arrays.copyOf(bytes, 40));
        Extraction damaged = extract(cut);
        assertThat(damaged.status()).isEqualTo(ExtractionStatus.IMAGE);
        assertThat(damaged.error()).startsWith("PNG image").contains("its parser could not read it: ");
    }

    /** Messages inside a PST are rebuilt by the parser, which hands over no bytes: they get a documented stand-in. */
    @Test
    void messagesInsideAPstAreNotIdentifiedByTheHashOfNothing() throws IOException {
        Extraction pst = extract(corpusFile("testPST.pst"));
        assertThat(pst.embedded()).hasSizeGreaterThanOrEqualTo(8);
        assertThat(pst.embedded()).allSatisfy(d -> {
            assertThat(d.sha256()).as(d.path()).isNotEqualTo(TikaExtractor.EMPTY_SHA256);
            assertThat(d.sizeBytes()).as(d.path()).isPositive();
        });
        assertThat(pst.embedded().stream().map(d -> d.sha256()).distinct().count()).isEqualTo(pst.embedded().size());
    }

    @Test
    void theLanguageOfAShortPdfOfHeadersAndListsIsFound() throws IOException {
        assertThat(extract(corpusFile("testPDFVarious.pdf")).language()).isEqualTo("en");
    }

    /** Two entries of one name stay two documents, each with a locator of its own that the same bytes always give. */
    @Test
    void entriesWithTheSameNameKeepLocatorsOfTheirOwn() throws IOException {
        Path tar = dir.resolve("twice.tar");
        try (var out = new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(Files.newOutputStream(tar))) {
            for (String text : List.of("The first copy talks about rivers and ships.", "The second copy talks about mountains and snow.",
                    "A third note with the same name.")) {
                byte[] bytes = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
                var entry = new org.apache.commons.compress.archivers.tar.TarArchiveEntry("letters/note.txt");
                entry.setSize(bytes.length);
                out.putArchiveEntry(entry);
                out.write(bytes);
                out.closeArchiveEntry();
            }
        }
        Extraction e = extract(tar);
        assertThat(e.embedded()).extracting(d -> d.path())
                .containsExactly("letters/note.txt", "letters/note (2).txt", "letters/note (3).txt");
        assertThat(e.embedded().get(1).extraction().text()).contains("mountains");
        assertThat(extract(tar).embedded()).extracting(d -> d.path()).isEqualTo(e.embedded().stream().map(d -> d.path()).toList());
        assertThat(EntryNames.numbered("README", 2)).isEqualTo("README (2)");
        assertThat(EntryNames.numbered("a.b/c", 3)).isEqualTo("a.b/c (3)");
    }

    private Path zipOf(String name, int entries, java.util.function.IntFunction<String> text) throws IOException {
        Path zip = dir.resolve(name);
        try (var out = new java.util.zip.ZipOutputStream(Files.newOutputStream(zip))) {
            for (int i = 0; i < entries; i++) {
                out.putNextEntry(new java.util.zip.ZipEntry("d" + i / 1000 + "/e" + i + ".txt"));
                out.write(text.apply(i).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
        return zip;
    }

    /** No cap on the number of entries: a zip of 10,500 gives 10,500 documents (it used to stop at 10,000, silently; `summarize` of a 20,000-entry zip records 20,000). */
    @Test
    void everyEntryOfALargeArchiveIsADocument() throws Exception {
        Path zip = zipOf("many.zip", 10_500, i -> "Entry " + i + " says hello.\n");
        Extraction e = extract(zip);
        assertThat(e.status()).isEqualTo(ExtractionStatus.CONTAINER);
        assertThat(e.embedded()).hasSize(10_500);
        assertThat(e.embedded()).allSatisfy(d -> assertThat(d.extraction().status()).isEqualTo(ExtractionStatus.SUCCESS));
        assertThat(e.embedded().get(10_499).path()).isEqualTo("d10/e10499.txt");
    }

    /**
     * The write limit is each document's own: 30 entries of 60,000 characters under a limit of 100,000 are
     * all read whole (the limit used to count over the whole zip: the second entry was cut and the rest
     * dropped), and only an entry over the limit is cut.
     */
    @Test
    void eachEntryHasItsOwnWriteLimit() throws Exception {
        String sixty = "Every entry has a limit of its own. ".repeat(60_000 / 36);
        Path zip = zipOf("big-entries.zip", 30, i -> i == 7 ? sixty.repeat(3) : sixty);
        try (TikaExtractor limited = new TikaExtractor(Duration.ofSeconds(60), 100_000)) {
            Extraction e = limited.extract(new SourceItem(zip.toString(), zip, Files.size(zip), null));
            assertThat(e.embedded()).hasSize(30);
            for (int i = 0; i < 30; i++) {
                Extraction entry = e.embedded().get(i).extraction();
                assertThat(entry.status()).as("entry " + i).isEqualTo(i == 7 ? ExtractionStatus.PARTIAL : ExtractionStatus.SUCCESS);
                if (i == 7) {
                    // Cut at the limit: the parser's first 100,000 characters, less the blank lines it writes before the
                    // first line (LeadingBlankLines: a few dozen at most), and exactly the entry's words up to there.
                    assertThat(entry.text().length()).as("entry " + i).isBetween(100_000 - 64, 100_000);
                    assertThat(sixty.repeat(3)).as("entry " + i).startsWith(entry.text());
                }
                else assertThat(entry.text().strip()).as("entry " + i).isEqualTo(sixty.strip());
            }
        }
    }

    /**
     * What bounds memory is the text a file's documents hold together: past that budget every entry is
     * still recorded, with its name and digest, as OUT_OF_MEMORY (retried by a rerun) with the reason.
     */
    @Test
    void entriesPastTheTextBudgetAreRecordedWithTheReason() throws Exception {
        String sixty = "Memory is bounded by the text held. ".repeat(60_000 / 36);
        Path zip = zipOf("budget.zip", 10, i -> sixty);
        try (TikaExtractor small = new TikaExtractor(Duration.ofSeconds(60), 1_000_000, false, false, 200_000)) {
            Extraction e = small.extract(new SourceItem(zip.toString(), zip, Files.size(zip), null));
            assertThat(e.embedded()).hasSize(10);
            assertThat(e.embedded().subList(0, 3)).allSatisfy(d -> assertThat(d.extraction().status()).isEqualTo(ExtractionStatus.SUCCESS));
            assertThat(e.embedded().subList(3, 10)).allSatisfy(d -> {
                assertThat(d.extraction().status()).isEqualTo(ExtractionStatus.OUT_OF_MEMORY);
                assertThat(d.extraction().error()).startsWith("not read: the documents of this file already held").contains("--extract-heap");
                assertThat(d.sha256()).hasSize(64);
            });
            assertThat(ExtractionStatus.OUT_OF_MEMORY.retryable()).isTrue();
        }
    }
}
