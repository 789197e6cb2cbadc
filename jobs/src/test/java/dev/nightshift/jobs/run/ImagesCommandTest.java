package dev.nightshift.jobs.run;

import dev.nightshift.jobs.Cli;
import dev.nightshift.jobs.cli.ExitCodes;
import dev.nightshift.jobs.model.ModelCommandTest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Pictures in a run: recorded without a vision model, described and labelled with one. */
class ImagesCommandTest {
    static final Path VISION = ModelCommandTest.MODELS.resolve("tiny-gemma4-vision");

    @TempDir
    Path dir;

    /** A folder with a picture, an exact copy of it, an icon-sized picture, a note, and a document with a picture inside. */
    private Path folder() throws Exception {
        Path in = Files.createDirectories(dir.resolve("in"));
        Files.copy(VISION.resolve("images/square.png"), in.resolve("square.png"));
        Files.copy(VISION.resolve("images/square.png"), in.resolve("copy-of-square.png"));
        ImageIO.write(new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB), "png", in.resolve("icon.png").toFile());
        Files.writeString(in.resolve("note.txt"), "The harbour opens at six. Ships wait in the bay until the pilot boards.");
        try (org.apache.poi.xwpf.usermodel.XWPFDocument doc = new org.apache.poi.xwpf.usermodel.XWPFDocument()) {
            var run = doc.createParagraph().createRun();
            run.setText("The quarterly chart below shows the tonnage handled at the port.");
            try (var png = Files.newInputStream(VISION.resolve("images/wide.png"))) {
                run.addPicture(png, org.apache.poi.xwpf.usermodel.Document.PICTURE_TYPE_PNG, "chart.png",
                        org.apache.poi.util.Units.toEMU(200), org.apache.poi.util.Units.toEMU(50));
            }
            try (var out = Files.newOutputStream(in.resolve("report.docx"))) {
                doc.write(out);
            }
        }
        return in;
    }

    @Test
    void withoutAVisionModelPicturesAreRecordedAndNotFailures() throws Exception {
        Path in = folder();
        String db = dir.resolve("db").toString();
        Cli.Result run = Cli.run("summarize", in.toString(), "--db", db);
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.OK);
        assertThat(run.out()).contains("images              4").contains("failed              0");
        JsonNode status = new ObjectMapper().readTree(Cli.run("status", "--db", db, "--format", "json").out());
        assertThat(status.get("images").asInt()).isEqualTo(4);
        assertThat(status.get("failed").asInt()).isZero();
        Cli.Result show = Cli.run("show", in.resolve("icon.png").toString(), "--db", db);
        assertThat(show.out()).contains("IMAGE").contains("PNG image, 16x16 pixels");
    }

    @Test
    void aVisionModelDescribesAndLabelsPicturesOnceEachAndLeavesIconsAlone() throws Exception {
        Path in = folder();
        String db = dir.resolve("db").toString();
        Cli.Result run = Cli.run("summarize", in.toString(), "--db", db, "--model", VISION.toString(), "--words", "20");
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.OK);
        // square, its copy and the picture inside the report are described; the icon is too small.
        assertThat(run.out()).as(run.out()).contains("images              4").contains("3 described by the vision model");

        Cli.Result export = Cli.run("export", "--format", "jsonl", "--db", db);
        List<JsonNode> images = export.out().lines().map(ImagesCommandTest::json).filter(n -> n.get("task").asText().equals("image")).toList();
        assertThat(images).hasSize(3).allSatisfy(n -> {
            assertThat(n.get("text").asText()).matches("(photo|chart|diagram|map|scanned text page|screenshot|drawing|logo or icon|other): .*");
            assertThat(n.get("prompt_name").asText()).isEqualTo("describe-image");
        });
        // The copy takes the first one's description instead of being described again.
        assertThat(images).filteredOn(n -> n.get("finish_reason").asText().equals("cached")).hasSize(1);
        assertThat(images).filteredOn(n -> n.get("source_path").asText().contains("report.docx!/")).hasSize(1);
        // The report's summary is made from its text followed by its picture's description.
        try (var c = java.sql.DriverManager.getConnection("jdbc:h2:file:" + db + ";ACCESS_MODE_DATA=r", "nightshift", "");
             var q = c.prepareStatement("""
                     SELECT e.content FROM extractions e JOIN documents d ON d.id = e.document_id JOIN sources s ON s.id = d.source_id
                     WHERE s.locator LIKE '%report.docx'""");
             var rs = q.executeQuery()) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).contains("The quarterly chart below")
                    .contains("[Pictures in this document, as a vision model described them]\n- image1.png: ");
        }
        Cli.Result report = Cli.run("show", in.resolve("report.docx").toString(), "--db", db);
        assertThat(report.out()).contains("report.docx!/image1.png").contains("image (level 0)").contains("summary (level 0)");
        Cli.Result icon = Cli.run("show", in.resolve("icon.png").toString(), "--db", db);
        assertThat(icon.out()).contains("too small to describe (16x16, under 32x32)");

        Cli.Result again = Cli.run("summarize", in.toString(), "--db", db, "--model", VISION.toString(), "--words", "20");
        assertThat(again.out()).contains("skipped (unchanged) 5");
    }

    @Test
    void aBannerTooLongForTheEncoderIsRecordedWithTheReason() throws Exception {
        Path in = Files.createDirectories(dir.resolve("banners"));
        // 493 x 58 resizes to 72 x 6 patches; the fixture's encoder places 64 in a row (the real models 10,240).
        var banner = new java.awt.image.BufferedImage(493, 58, java.awt.image.BufferedImage.TYPE_INT_RGB);
        for (int x = 0; x < 493; x++) for (int y = 0; y < 58; y++) banner.setRGB(x, y, (x * 7 % 256) << 16 | (y * 11 % 256) << 8 | 90);
        javax.imageio.ImageIO.write(banner, "png", in.resolve("banner.png").toFile());
        String db = dir.resolve("db").toString();
        Cli.Result run = Cli.run("summarize", in.toString(), "--db", db, "--model", VISION.toString(), "--words", "20");
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.OK);
        assertThat(run.out()).contains("images              1").contains("failed              0");
        assertThat(run.err()).doesNotContain("Gather").doesNotContain("\u001b");
        assertThat(Cli.run("show", in.resolve("banner.png").toString(), "--db", db).out())
                .contains("too long and thin for this model's vision encoder (1152x96 after resizing: 72 columns and 6 rows of patches; it places at most 64");
    }

    /** The samples with the vision fixture: the report's two pictures and the two picture files are described. */
    @Test
    void theSamplesPicturesAreDescribedWithLineageToTheirReport() throws Exception {
        String db = dir.resolve("db").toString();
        Cli.Result run = Cli.run("summarize", SummarizeCommandTest.SAMPLES.toString(), "--db", db, "--model", VISION.toString(), "--words", "20");
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.SOME_FAILED); // the two broken samples
        assertThat(run.out()).contains("images              4").contains("4 described by the vision model").contains("failed              2");
        Cli.Result show = Cli.run("show", SummarizeCommandTest.SAMPLES.resolve("reports/port-tonnage.docx").toString(), "--db", db);
        assertThat(show.out()).contains("port-tonnage.docx!/tonnage-chart.png").contains("port-tonnage.docx!/crane.jpg")
                .contains("image (level 0)").contains("prompt describe-image v1");
    }

    /** Pictures recorded by a run without a vision model are looked at by the first run with one. */
    @Test
    void aVisionRunAfterARecordingRunDescribesWhatWasOnlyRecorded() throws Exception {
        Path in = folder();
        String db = dir.resolve("db").toString();
        assertThat(Cli.run("summarize", in.toString(), "--db", db).exitCode()).isEqualTo(ExitCodes.OK);
        Cli.Result seeing = Cli.run("summarize", in.toString(), "--db", db, "--model", VISION.toString(), "--words", "20");
        assertThat(seeing.out()).as(seeing.out()).contains("3 described by the vision model");
        // --images record: a seeing model summarizes text and leaves pictures alone.
        Cli.Result recordOnly = Cli.run("summarize", in.toString(), "--db", dir.resolve("other").toString(), "--model", VISION.toString(),
                "--words", "20", "--images", "record");
        assertThat(recordOnly.out()).as(recordOnly.out()).contains("images              4").doesNotContain("described by");
    }

    private static JsonNode json(String line) {
        try {
            return new ObjectMapper().readTree(line);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
