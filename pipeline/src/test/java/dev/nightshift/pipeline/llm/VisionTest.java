package dev.nightshift.pipeline.llm;

import dev.nightshift.pipeline.llm.model.Dtype;
import dev.nightshift.pipeline.llm.model.ModelException;
import dev.nightshift.pipeline.llm.verify.ReferenceCheck;

import dev.nightshift.pipeline.llm.vision.PatchedImage;
import dev.nightshift.pipeline.llm.vision.RgbImage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Gemma 4 with images, on the vision fixture (reference.json made by transformers). */
class VisionTest {
    static final Path VISION = TestModels.path("tiny-gemma4-vision");
    static GemmaEngine engine;

    @BeforeAll
    static void load() {
        engine = GemmaEngine.load(VISION, null, 2);
    }

    @AfterAll
    static void close() {
        engine.close();
    }

    @Test
    void everyCaseTheBatchAndThePixelsMatchTransformers() {
        ReferenceCheck.Report report = ReferenceCheck.run(engine, VISION.resolve("reference.json"));
        assertThat(report.cases()).hasSize(4).allSatisfy(c -> {
            assertThat(c.idsMatch()).as(c.name() + " expanded prompt ids").isTrue();
            if (c.exact()) assertThat(c.firstDifference()).as(c.name()).isNegative();
        });
        assertThat(report.batch().matches()).isTrue();
        assertThat(report.joined().matches()).isTrue();
        assertThat(report.images()).hasSize(3).allSatisfy(i -> {
            if (!i.resized()) assertThat(i.pixelsMatch()).as(i.name()).isTrue();
            else assertThat(i.meanAbsoluteDifference()).as(i.name()).isLessThan(2.0 / 255);
        });
        assertThat(report.allMatch()).isTrue();
    }

    @Test
    void aBatchMixingImageAndTextPromptsGivesEachItsTokensAlone() throws Exception {
        PatchedImage square = engine.prepare(RgbImage.read(VISION.resolve("images/square.png")));
        GenerationRequest withImage = engine.imageRequest(List.of(GemmaEngine.userMessage(1, "Describe it.")), List.of(square), 10,
                SamplingParams.GREEDY);
        GenerationRequest text = GenerationRequest.greedy(engine.chatPrompt("Rivers carry ships to the sea."), 10);
        int[] imageAlone = engine.generate(List.of(withImage)).get(0).tokenIds();
        int[] textAlone = engine.generate(List.of(text)).get(0).tokenIds();
        List<GenerationResult> together = engine.generate(List.of(text, withImage));
        assertThat(together.get(0).tokenIds()).isEqualTo(textAlone);
        assertThat(together.get(1).tokenIds()).isEqualTo(imageAlone);

        // An image prompt joining a running batch of text (continuous batching) gives the same tokens too.
        ScriptedFeed feed = new ScriptedFeed(List.of(List.of(text), List.of(), List.of(withImage)));
        engine.generateContinuously(feed);
        assertThat(feed.result(text).tokenIds()).isEqualTo(textAlone);
        assertThat(feed.result(withImage).tokenIds()).isEqualTo(imageAlone);
    }

    @Test
    void twoImagesInOnePromptTakeTheirFeaturesInOrder() throws Exception {
        PatchedImage square = engine.prepare(RgbImage.read(VISION.resolve("images/square.png")));
        PatchedImage wide = engine.prepare(RgbImage.read(VISION.resolve("images/wide.png")));
        List<ImageFeatures> each = engine.encodeImages(List.of(square, wide));
        List<ImageFeatures> alone = new ArrayList<>();
        alone.add(engine.encodeImages(List.of(square)).get(0));
        alone.add(engine.encodeImages(List.of(wide)).get(0));
        for (int i = 0; i < 2; i++) {
            assertThat(each.get(i).tokens()).isEqualTo(64);
            float[] a = each.get(i).rows();
            float[] b = alone.get(i).rows();
            for (int k = 0; k < a.length; k++) assertThat(a[k]).isCloseTo(b[k], org.assertj.core.data.Offset.offset(1e-5f));
        }
    }

    @Test
    void imagesAreRefusedClearlyWhereTheyCannotGo() throws Exception {
        PatchedImage square = engine.prepare(RgbImage.read(VISION.resolve("images/square.png")));
        // One image token in the prompt, two images.
        assertThatThrownBy(() -> engine.imageRequest(List.of(GemmaEngine.userMessage(1, "x")), List.of(square, square), 4, SamplingParams.GREEDY))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 image tokens for 2 images");
        try (GemmaEngine text = GemmaEngine.load(TestModels.path("tiny-gemma3"), Dtype.FP32, 1)) {
            assertThat(text.seesImages()).isFalse();
            assertThatThrownBy(() -> text.prepare(RgbImage.read(VISION.resolve("images/square.png"))))
                    .isInstanceOf(ModelException.class).hasMessageContaining("no vision encoder");
        }
        assertThatThrownBy(() -> RgbImage.read(new java.io.ByteArrayInputStream("not an image".getBytes()), "x.png"))
                .isInstanceOf(java.io.IOException.class).hasMessageContaining("not an image format");
        byte[] png = java.nio.file.Files.readAllBytes(VISION.resolve("images/square.png"));
        byte[] cut = java.util.Arrays.copyOf(png, png.length / 2);
        assertThatThrownBy(() -> RgbImage.read(new java.io.ByteArrayInputStream(cut), "cut.png")).isInstanceOf(java.io.IOException.class);
    }

    /** A PNG header claiming 30000x30000 pixels: refused before anything is decoded. */
    @Test
    void aDecompressionBombIsRefusedBeforeDecoding() {
        java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
        png.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10});
        java.nio.ByteBuffer ihdr = java.nio.ByteBuffer.allocate(17).put("IHDR".getBytes()).putInt(30000).putInt(30000)
                .put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(ihdr.array());
        png.writeBytes(java.nio.ByteBuffer.allocate(4).putInt(13).array());
        png.writeBytes(ihdr.array());
        png.writeBytes(java.nio.ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
        assertThatThrownBy(() -> RgbImage.read(new java.io.ByteArrayInputStream(png.toByteArray()), "bomb.png"))
                .isInstanceOf(java.io.IOException.class).hasMessageContaining("30000x30000").hasMessageContaining("over the limit");
    }

    /** 16-bit grey and palette pictures come out as 8-bit RGB; an animated GIF gives its first frame. */
    @Test
    void unusualPixelFormatsBecomeRgb() throws Exception {
        java.awt.image.BufferedImage grey16 = new java.awt.image.BufferedImage(40, 30, java.awt.image.BufferedImage.TYPE_USHORT_GRAY);
        grey16.getRaster().setSample(3, 2, 0, 65535);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(grey16, "png", out);
        RgbImage rgb = RgbImage.read(new java.io.ByteArrayInputStream(out.toByteArray()), "grey16.png");
        assertThat(rgb.width()).isEqualTo(40);
        assertThat(rgb.at(3, 2, 0)).isEqualTo(255);
        assertThat(rgb.at(0, 0, 1)).isZero();

        java.awt.image.BufferedImage indexed = new java.awt.image.BufferedImage(40, 30, java.awt.image.BufferedImage.TYPE_BYTE_INDEXED);
        indexed.setRGB(1, 1, 0xFF0000);
        out.reset();
        javax.imageio.ImageIO.write(indexed, "gif", out);
        RgbImage gif = RgbImage.read(new java.io.ByteArrayInputStream(out.toByteArray()), "one.gif");
        assertThat(gif.at(1, 1, 0)).isGreaterThan(200);
        assertThat(gif.at(1, 1, 1)).isLessThan(50);
        assertThat(engine.prepare(gif).softTokens()).isPositive();
    }
}
