package dev.nightshift.connectors.formats;

import org.apache.poi.openxml4j.opc.OPCPackage;
import org.apache.poi.poifs.crypt.EncryptionInfo;
import org.apache.poi.poifs.crypt.EncryptionMode;
import org.apache.poi.poifs.crypt.Encryptor;
import org.apache.poi.poifs.filesystem.POIFSFileSystem;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.util.Units;
import org.apache.poi.xslf.usermodel.XMLSlideShow;
import org.apache.poi.xslf.usermodel.XSLFNotes;
import org.apache.poi.xslf.usermodel.XSLFShape;
import org.apache.poi.xslf.usermodel.XSLFSlide;
import org.apache.poi.xslf.usermodel.XSLFTextShape;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.apache.poi.xwpf.model.XWPFHeaderFooterPolicy;
import org.apache.poi.xwpf.usermodel.Document;
import org.apache.poi.xwpf.usermodel.XWPFDocument;
import org.apache.poi.xwpf.usermodel.XWPFFootnote;
import org.apache.poi.xwpf.usermodel.XWPFHyperlinkRun;
import org.apache.poi.xwpf.usermodel.XWPFParagraph;
import org.apache.poi.xwpf.usermodel.XWPFRun;
import org.apache.poi.xwpf.usermodel.XWPFTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Round trips through Okapi with a scripted translator (the tiny models' text is nonsense): each format's file is
 * made here, translated, and read back with its own reader, which must find the same structure with the text
 * translated and what must not change unchanged.
 */
class FileTranslatorTest {
    @TempDir
    Path dir;

    /** "Translates" by upper-casing the words and leaving the tags: the result shows where every segment went. */
    static final SegmentTranslator UPPER = (segments, terms, strict) -> segments.stream().map(FileTranslatorTest::upper).toList();

    static String upper(String tagged) {
        StringBuilder out = new StringBuilder();
        boolean inTag = false;
        for (char c : tagged.toCharArray()) {
            if (c == '<') inTag = true;
            out.append(inTag ? c : Character.toUpperCase(c));
            if (c == '>') inTag = false;
        }
        return out.toString();
    }

    private FileTranslation translate(SameFormat format, Path in, Path out, SegmentTranslator t) throws IOException {
        return FileTranslator.translate(format, in, out, Locale.ENGLISH, Locale.GERMAN, t);
    }

    @Test
    void aWordFileComesBackWithItsStructureAndEveryPartTranslated() throws Exception {
        Path in = dir.resolve("report.docx");
        try (XWPFDocument d = new XWPFDocument()) {
            XWPFParagraph heading = d.createParagraph();
            heading.setStyle("Heading1");
            heading.createRun().setText("Port tonnage");
            XWPFParagraph p = d.createParagraph();
            p.createRun().setText("The port handled ");
            XWPFRun bold = p.createRun();
            bold.getCTR().addNewRPr().addNewB(); // as Word writes it: <w:b/>
            bold.setText("2.1 million tonnes");
            p.createRun().setText(" and ");
            XWPFRun italic = p.createRun();
            italic.setItalic(true); // as POI writes it: <w:i w:val="on"/>
            italic.setText("grew fast");
            p.createRun().setText(", see ");
            XWPFHyperlinkRun link = p.createHyperlinkRun("https://example.org/report");
            link.setText("the report");
            p.createRun().setText(".");
            XWPFFootnote note = d.createFootnote();
            note.createParagraph().createRun().setText("Figures from the harbour office.");
            p.addFootnoteReference(note);
            XWPFTable table = d.createTable(2, 2);
            table.getRow(0).getCell(0).setText("Quarter");
            table.getRow(0).getCell(1).setText("Tonnage");
            table.getRow(1).getCell(0).setText("First quarter");
            table.getRow(1).getCell(1).setText("1,050,000");
            d.createParagraph().createRun().addPicture(new ByteArrayInputStream(png()), Document.PICTURE_TYPE_PNG, "chart.png",
                    Units.toEMU(40), Units.toEMU(30));
            XWPFHeaderFooterPolicy policy = d.createHeaderFooterPolicy();
            policy.createHeader(XWPFHeaderFooterPolicy.DEFAULT).createParagraph().createRun().setText("Harbour office");
            policy.createFooter(XWPFHeaderFooterPolicy.DEFAULT).createParagraph().createRun().setText("Internal use only");
            try (OutputStream o = Files.newOutputStream(in)) {
                d.write(o);
            }
        }
        Path out = dir.resolve("report.de.docx");
        FileTranslation r = translate(SameFormat.DOCX, in, out, UPPER);

        assertThat(r.flags()).isEmpty();
        assertThat(r.sent()).isLessThan(r.units());
        keepForTheReadme(in, out); // the number cell and the picture's name were not sent
        try (XWPFDocument before = open(in); XWPFDocument after = open(out)) {
            assertThat(after.getParagraphs()).hasSameSizeAs(before.getParagraphs());
            assertThat(after.getParagraphs().get(0).getText()).isEqualTo("PORT TONNAGE");
            assertThat(after.getParagraphs().get(0).getStyle()).isEqualTo("Heading1");
            XWPFParagraph p = after.getParagraphs().get(1);
            assertThat(p.getText()).startsWith("THE PORT HANDLED 2.1 MILLION TONNES AND GREW FAST, SEE THE REPORT.");
            assertThat(p.getRuns()).anySatisfy(run -> {
                assertThat(run.text()).isEqualTo("2.1 MILLION TONNES");
                assertThat(run.isBold()).isTrue();
            });
            assertThat(p.getRuns()).anySatisfy(run -> {
                assertThat(run.text()).isEqualTo("GREW FAST");
                assertThat(run.isItalic()).isTrue();
            });
            assertThat(p.getRuns()).anySatisfy(run -> {
                assertThat(run).isInstanceOf(XWPFHyperlinkRun.class);
                assertThat(run.text()).isEqualTo("THE REPORT");
                assertThat(((XWPFHyperlinkRun) run).getHyperlink(after).getURL()).isEqualTo("https://example.org/report");
            });
            assertThat(after.getFootnotes()).hasSize(before.getFootnotes().size());
            assertThat(after.getFootnotes()).anySatisfy(f -> assertThat(f.getParagraphs().get(0).getText()).isEqualTo("FIGURES FROM THE HARBOUR OFFICE."));
            XWPFTable t = after.getTables().get(0);
            assertThat(t.getNumberOfRows()).isEqualTo(2);
            assertThat(t.getRow(1).getCell(0).getText()).isEqualTo("FIRST QUARTER");
            assertThat(t.getRow(1).getCell(1).getText()).isEqualTo("1,050,000");
            assertThat(after.getAllPictures()).hasSize(1);
            assertThat(after.getAllPictures().get(0).getData()).isEqualTo(png());
            assertThat(after.getHeaderList().get(0).getText().strip()).isEqualTo("HARBOUR OFFICE");
            assertThat(after.getFooterList().get(0).getText().strip()).isEqualTo("INTERNAL USE ONLY");
        }
    }

    @Test
    void slidesAndTheirNotesAreTranslatedAndStayTwoSlides() throws Exception {
        Path in = dir.resolve("deck.pptx");
        try (XMLSlideShow show = new XMLSlideShow()) {
            for (String[] s : new String[][] {{"Harbour news", "Speak slowly here."}, {"The new crane", "Mention the five hours."}}) {
                XSLFSlide slide = show.createSlide();
                slide.createTextBox().setText(s[0]);
                XSLFNotes notes = show.getNotesSlide(slide);
                for (XSLFTextShape shape : notes.getPlaceholders()) {
                    if (shape.getTextType() == org.apache.poi.sl.usermodel.Placeholder.BODY) shape.setText(s[1]);
                }
            }
            try (OutputStream o = Files.newOutputStream(in)) {
                show.write(o);
            }
        }
        Path out = dir.resolve("deck.de.pptx");
        translate(SameFormat.PPTX, in, out, UPPER);
        try (XMLSlideShow after = new XMLSlideShow(Files.newInputStream(out))) {
            assertThat(after.getSlides()).hasSize(2);
            assertThat(texts(after.getSlides().get(0).getShapes())).containsExactly("HARBOUR NEWS");
            assertThat(texts(after.getSlides().get(1).getShapes())).containsExactly("THE NEW CRANE");
            assertThat(texts(after.getSlides().get(1).getNotes().getShapes())).contains("MENTION THE FIVE HOURS.");
        }
    }

    @Test
    void aSpreadsheetsNumbersAndFormulasAreUntouched() throws Exception {
        Path in = dir.resolve("sheet.xlsx");
        try (XSSFWorkbook wb = new XSSFWorkbook()) {
            for (String name : new String[] {"Tonnage", "Notes"}) {
                Sheet s = wb.createSheet(name);
                Row r = s.createRow(0);
                r.createCell(0).setCellValue("Grain shipped");
                r.createCell(1).setCellValue(1250.5);
                r.createCell(2).setCellFormula("B1*2");
            }
            try (OutputStream o = Files.newOutputStream(in)) {
                wb.write(o);
            }
        }
        Path out = dir.resolve("sheet.de.xlsx");
        translate(SameFormat.XLSX, in, out, UPPER);
        try (XSSFWorkbook after = new XSSFWorkbook(Files.newInputStream(out))) {
            assertThat(after.getNumberOfSheets()).isEqualTo(2);
            for (Sheet s : after) {
                Row r = s.getRow(0);
                assertThat(r.getCell(0).getStringCellValue()).isEqualTo("GRAIN SHIPPED");
                assertThat(r.getCell(1).getNumericCellValue()).isEqualTo(1250.5);
                Cell formula = r.getCell(2);
                assertThat(formula.getCellType()).isEqualTo(CellType.FORMULA);
                assertThat(formula.getCellFormula()).isEqualTo("B1*2");
            }
        }
    }

    @Test
    void anOpenDocumentTextKeepsItsStyledSpans() throws Exception {
        Path in = dir.resolve("minutes.odt");
        String content = """
                <?xml version="1.0" encoding="UTF-8"?>
                <office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
                  xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
                  xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
                  xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" office:version="1.3">
                <office:automatic-styles><style:style style:name="T1" style:family="text"><style:text-properties fo:font-weight="bold"/></style:style></office:automatic-styles>
                <office:body><office:text>
                <text:h text:outline-level="1">Minutes of the council</text:h>
                <text:p>The council met on <text:span text:style-name="T1">14 March</text:span> with eleven members.</text:p>
                </office:text></office:body></office:document-content>
                """.strip();
        zip(in, "application/vnd.oasis.opendocument.text", content);
        Path out = dir.resolve("minutes.de.odt");
        translate(SameFormat.ODT, in, out, UPPER);
        String after = entry(out, "content.xml");
        assertThat(after).contains(">MINUTES OF THE COUNCIL</text:h>")
                .contains("THE COUNCIL MET ON <text:span text:style-name=\"T1\">14 MARCH</text:span> WITH ELEVEN MEMBERS.")
                .doesNotContain("Minutes of the council");
        assertThat(entry(out, "mimetype")).isEqualTo("application/vnd.oasis.opendocument.text");
    }

    @Test
    void aWebPageKeepsItsScriptLinksAndAttributes() throws Exception {
        Path in = dir.resolve("page.html");
        Files.writeString(in, """
                <!DOCTYPE html>
                <html lang="en"><head><meta charset="utf-8"><title>Cycling pilot</title>
                <script>var greeting = "hello there"; if (a < b) { go(); }</script></head>
                <body><h1 class="top" id="h">Cycling pilot</h1>
                <p>The pilot ran for <b>six months</b>, see <a href="https://example.org/pilot" class="ext">the results</a>.</p>
                <img src="bikes.png" alt="Bicycles at the station">
                </body></html>
                """);
        Path out = dir.resolve("page.de.html");
        translate(SameFormat.HTML, in, out, UPPER);
        String html = Files.readString(out);
        assertThat(html).contains("<script>var greeting = \"hello there\"; if (a < b) { go(); }</script>")
                .contains("<h1 class=\"top\" id=\"h\">CYCLING PILOT</h1>")
                .contains("THE PILOT RAN FOR <b>SIX MONTHS</b>, SEE <a href=\"https://example.org/pilot\" class=\"ext\">THE RESULTS</a>.")
                .contains("<title>CYCLING PILOT</title>")
                .contains("<img src=\"bikes.png\" alt=\"BICYCLES AT THE STATION\">");
    }

    @Test
    void markdownCodeBlocksAreNotSent() throws Exception {
        Path in = dir.resolve("notes.md");
        Files.writeString(in, """
                # Balcony garden

                Water the pots **every morning** in summer.

                ```
                water --every morning
                ```
                """);
        Path out = dir.resolve("notes.de.md");
        translate(SameFormat.MARKDOWN, in, out, UPPER);
        String md = Files.readString(out);
        assertThat(md).contains("# BALCONY GARDEN").contains("WATER THE POTS **EVERY MORNING** IN SUMMER.")
                .contains("```\nwater --every morning\n```");
    }

    @Test
    void subtitleTimingsAreUntouched() throws Exception {
        Path in = dir.resolve("talk.srt");
        Files.writeString(in, "1\n00:00:01,000 --> 00:00:03,500\nWelcome to the harbour.\n\n2\n00:00:04,000 --> 00:00:06,000\nThe crane is new.\n");
        Path out = dir.resolve("talk.de.srt");
        translate(SameFormat.SRT, in, out, UPPER);
        assertThat(Files.readString(out).replace("\r\n", "\n"))
                .isEqualTo("1\n00:00:01,000 --> 00:00:03,500\nWELCOME TO THE HARBOUR.\n\n2\n00:00:04,000 --> 00:00:06,000\nTHE CRANE IS NEW.\n");
    }

    @Test
    void softwareStringsKeepTheirKeysNumbersAndComments() throws Exception {
        Path json = Files.writeString(dir.resolve("app.json"),
                "{\n  \"greeting\": \"Welcome to the harbour office\",\n  \"count\": 3,\n  \"menu\": {\"open\": \"Open the report\", \"url\": \"https://example.org/x\"}\n}\n");
        translate(SameFormat.JSON, json, dir.resolve("app.de.json"), UPPER);
        assertThat(Files.readString(dir.resolve("app.de.json"))).isEqualTo(
                "{\n  \"greeting\": \"WELCOME TO THE HARBOUR OFFICE\",\n  \"count\": 3,\n  \"menu\": {\"open\": \"OPEN THE REPORT\", \"url\": \"https://example.org/x\"}\n}\n");

        Path properties = Files.writeString(dir.resolve("messages.properties"), "# labels of the main window\ngreeting=Welcome to the harbour office\nbutton.open=Open the report\n");
        translate(SameFormat.PROPERTIES, properties, dir.resolve("messages.de.properties"), UPPER);
        assertThat(Files.readString(dir.resolve("messages.de.properties")))
                .isEqualTo("# labels of the main window\ngreeting=WELCOME TO THE HARBOUR OFFICE\nbutton.open=OPEN THE REPORT\n");

        Path yaml = Files.writeString(dir.resolve("strings.yaml"), "title: Harbour news\nitems:\n  - Open the report\n  - Close the window\n");
        translate(SameFormat.YAML, yaml, dir.resolve("strings.de.yaml"), UPPER);
        assertThat(Files.readString(dir.resolve("strings.de.yaml"))).contains("title: HARBOUR NEWS").contains("- OPEN THE REPORT")
                .contains("- CLOSE THE WINDOW").doesNotContain("TITLE").doesNotContain("ITEMS");

        Path po = Files.writeString(dir.resolve("app.po"), "msgid \"\"\nmsgstr \"\"\n\"Content-Type: text/plain; charset=UTF-8\\n\"\n\n"
                + "#: src/main.c:12\nmsgid \"Open the report\"\nmsgstr \"\"\n");
        translate(SameFormat.PO, po, dir.resolve("app.de.po"), UPPER);
        assertThat(Files.readString(dir.resolve("app.de.po"))).contains("#: src/main.c:12\nmsgid \"Open the report\"\nmsgstr \"OPEN THE REPORT\"");
    }

    @Test
    void charactersNoFileMayHoldAreDroppedFromTheModelsText() throws Exception {
        Path in = dir.resolve("a.docx");
        try (XWPFDocument d = new XWPFDocument()) {
            d.createParagraph().createRun().setText("Port tonnage rose.");
            try (OutputStream o = Files.newOutputStream(in)) {
                d.write(o);
            }
        }
        // What a random-weight model wrote on the corpus: a file separator (U+001C) inside the text.
        SegmentTranslator noisy = (segments, terms, strict) -> segments.stream().map(s -> "Der\u001C Hafen\u0000 \uD800wuchs\uFFFF. \uD83D\uDE00").toList();
        Path out = dir.resolve("a.de.docx");
        translate(SameFormat.DOCX, in, out, noisy);
        try (XWPFDocument after = open(out)) {
            assertThat(after.getParagraphs().get(0).getText()).isEqualTo("Der Hafen wuchs. \uD83D\uDE00");
        }
        assertThat(FileTranslator.writable("a\tb\nc\u0007d")).isEqualTo("a\tb\ncd");
    }

    @Test
    void droppedCodesAreAskedForAgainThenMovedToTheEndAndFlagged() throws Exception {
        Path in = dir.resolve("page.html");
        Files.writeString(in, "<html><body><p>Read <b>the report</b> today.</p></body></html>");
        // Drops the tags the first time, keeps them when asked firmly: repaired, not flagged.
        AtomicInteger strictCalls = new AtomicInteger();
        SegmentTranslator sloppy = (segments, terms, strict) -> {
            if (strict) strictCalls.incrementAndGet();
            return segments.stream().map(s -> strict ? upper(s) : Tags.strip(upper(s))).toList();
        };
        FileTranslation repaired = translate(SameFormat.HTML, in, dir.resolve("a.html"), sloppy);
        assertThat(strictCalls).hasValue(1);
        assertThat(repaired.retried()).isEqualTo(1);
        assertThat(repaired.flags()).isEmpty();
        assertThat(Files.readString(dir.resolve("a.html"))).contains("READ <b>THE REPORT</b> TODAY.");

        // Never keeps them: the codes go to the end, nothing is lost, the segment is flagged.
        SegmentTranslator careless = (segments, terms, strict) -> segments.stream().map(s -> Tags.strip(upper(s))).toList();
        FileTranslation moved = translate(SameFormat.HTML, in, dir.resolve("b.html"), careless);
        assertThat(moved.flags()).extracting(SegmentFlag::issue).containsExactly(SegmentIssue.TAGS_MOVED);
        assertThat(Files.readString(dir.resolve("b.html"))).contains("READ THE REPORT TODAY.<b></b>");
    }

    @Test
    void aGlossaryTermIsAskedForInItsSegmentAndAMissedOneIsFlagged() throws Exception {
        Path in = dir.resolve("notice.md");
        Files.writeString(in, "# Notice\n\nThe harbour office in Rotterdam opens at nine.\n\nThe crane is new.\n");
        Glossary glossary = new Glossary(List.of(new Glossary.Term("harbour office", "Hafenamt", ""), new Glossary.Term("Rotterdam", null, "")));
        List<String> asked = new ArrayList<>();
        // Follows the instruction: the words it was asked for, in their place.
        SegmentTranslator obedient = (segments, terms, strict) -> {
            asked.addAll(terms);
            List<String> out = new ArrayList<>();
            for (int i = 0; i < segments.size(); i++) {
                String s = upper(segments.get(i));
                if (terms.get(i).contains("\"harbour office\" as \"Hafenamt\"")) s = s.replace("HARBOUR OFFICE", "Hafenamt");
                if (terms.get(i).contains("Keep \"Rotterdam\"")) s = s.replace("ROTTERDAM", "Rotterdam");
                out.add(s);
            }
            return out;
        };
        FileTranslation followed = FileTranslator.translate(SameFormat.MARKDOWN, in, dir.resolve("a.md"), Locale.ENGLISH, Locale.GERMAN, glossary, obedient);
        assertThat(asked).containsExactly("", "Translate \"harbour office\" as \"Hafenamt\". Keep \"Rotterdam\" exactly as written.", "");
        assertThat(followed.flags()).isEmpty();
        assertThat(Files.readString(dir.resolve("a.md"))).contains("THE Hafenamt IN Rotterdam OPENS AT NINE.");

        FileTranslation ignored = FileTranslator.translate(SameFormat.MARKDOWN, in, dir.resolve("b.md"), Locale.ENGLISH, Locale.GERMAN, glossary, UPPER);
        assertThat(ignored.flags()).singleElement().satisfies(f -> {
            assertThat(f.issue()).isEqualTo(SegmentIssue.TERM_MISSED);
            assertThat(f.detail()).isEqualTo("harbour office -> Hafenamt, Rotterdam -> Rotterdam");
        });
    }

    @Test
    void aCorruptOrPasswordProtectedFileIsAFailureWithAReasonAndNothingIsWritten() throws Exception {
        Path corrupt = dir.resolve("corrupt.docx");
        Files.writeString(corrupt, "this is not a zip file at all");
        Path out1 = dir.resolve("corrupt.de.docx");
        assertThatThrownBy(() -> translate(SameFormat.DOCX, corrupt, out1, UPPER)).isInstanceOf(IOException.class)
                .hasMessageContaining("cannot read it as Word");
        assertThat(out1).doesNotExist();

        Path plain = dir.resolve("plain.docx");
        try (XWPFDocument d = new XWPFDocument()) {
            d.createParagraph().createRun().setText("Secret minutes.");
            try (OutputStream o = Files.newOutputStream(plain)) {
                d.write(o);
            }
        }
        Path locked = dir.resolve("locked.docx");
        try (POIFSFileSystem fs = new POIFSFileSystem()) {
            Encryptor enc = new EncryptionInfo(EncryptionMode.agile).getEncryptor();
            enc.confirmPassword("secret");
            try (OPCPackage opc = OPCPackage.open(Files.newInputStream(plain)); OutputStream os = enc.getDataStream(fs)) {
                opc.save(os);
            }
            try (OutputStream o = Files.newOutputStream(locked)) {
                fs.writeFilesystem(o);
            }
        }
        Path out2 = dir.resolve("locked.de.docx");
        assertThatThrownBy(() -> translate(SameFormat.DOCX, locked, out2, UPPER)).isInstanceOf(IOException.class)
                .hasMessageContaining("cannot read it as Word");
        assertThat(out2).doesNotExist();
        // The same package read as a spreadsheet reaches Okapi itself, which says what it is.
        Path lockedSheet = Files.copy(locked, dir.resolve("locked.xlsx"));
        Path out3 = dir.resolve("locked.de.xlsx");
        assertThatThrownBy(() -> translate(SameFormat.XLSX, lockedSheet, out3, UPPER)).isInstanceOf(IOException.class)
                .hasMessage("cannot read it as Excel: it is encrypted or password-protected");
        assertThat(out3).doesNotExist();
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".nightshift-"));
        }
    }

    /**
     * With {@code -Dnightshift.keep=DIR}, copies the Word file and its translation there: the README's before/after
     * pictures are these two rendered by LibreOffice (docs/translation.md has the commands).
     */
    private static void keepForTheReadme(Path in, Path out) throws IOException {
        String keep = System.getProperty("nightshift.keep");
        if (keep == null) return;
        Path folder = Files.createDirectories(Path.of(keep));
        Files.copy(in, folder.resolve(in.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.copy(out, folder.resolve(out.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    private static XWPFDocument open(Path p) throws IOException {
        try (InputStream in = Files.newInputStream(p)) {
            return new XWPFDocument(in);
        }
    }

    private static List<String> texts(List<? extends XSLFShape> shapes) {
        List<String> out = new ArrayList<>();
        for (XSLFShape s : shapes) if (s instanceof XSLFTextShape t && !t.getText().isBlank()) out.add(t.getText());
        return out;
    }

    private static byte[] png() throws IOException {
        BufferedImage img = new BufferedImage(4, 3, BufferedImage.TYPE_INT_RGB);
        img.setRGB(1, 1, 0x3366cc);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(img, "png", bytes);
        return bytes.toByteArray();
    }

    private static void zip(Path file, String mimetype, String content) throws IOException {
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(file))) {
            z.putNextEntry(new ZipEntry("mimetype"));
            z.write(mimetype.getBytes(StandardCharsets.US_ASCII));
            z.putNextEntry(new ZipEntry("META-INF/manifest.xml"));
            z.write(("""
                    <?xml version="1.0" encoding="UTF-8"?>
                    <manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">
                    <manifest:file-entry manifest:full-path="/" manifest:media-type="%s"/>
                    <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
                    </manifest:manifest>""".formatted(mimetype)).getBytes(StandardCharsets.UTF_8));
            z.putNextEntry(new ZipEntry("content.xml"));
            z.write(content.getBytes(StandardCharsets.UTF_8));
        }
    }

    private static String entry(Path zip, String name) throws IOException {
        try (ZipFile z = new ZipFile(zip.toFile())) {
            return new String(z.getInputStream(z.getEntry(name)).readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
