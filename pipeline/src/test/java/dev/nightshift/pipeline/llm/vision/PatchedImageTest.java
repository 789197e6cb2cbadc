package dev.nightshift.pipeline.llm.vision;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Against the pixel values transformers made for the vision fixture's images (reference.json). */
class PatchedImageTest {
    static final Path VISION = Path.of("src", "test", "resources", "models", "tiny-gemma4-vision").toAbsolutePath();

    @Test
    void imagesAtTheirTargetSizeGiveTransformersPixelValuesBitForBit() throws Exception {
        JsonNode images = new ObjectMapper().readTree(VISION.resolve("reference.json").toFile()).path("images");
        ImageProcessorConfig config = ImageProcessorConfig.load(VISION);
        for (String name : new String[] {"square.png", "wide.png"}) {
            JsonNode ref = images.path(name);
            PatchedImage p = PatchedImage.of(RgbImage.read(VISION.resolve("images").resolve(name)), config);
            assertThat(p.resized()).isFalse();
            assertThat(p.softTokens()).as(name).isEqualTo(ref.path("num_soft_tokens").asInt());
            assertThat(p.patches()).as(name).isEqualTo(ref.path("valid_patches").asInt());
            assertThat(BicubicResizeTest.sha256(littleEndian(p.pixelValues()))).as(name).isEqualTo(ref.path("pixel_values_sha256").asText());
            assertThat(p.positions()[2]).isEqualTo(1); // the second patch: column 1, row 0
            assertThat(p.positions()[3]).isZero();
            assertThat(p.positions()[p.patches() * 2]).isEqualTo(-1); // padding
        }
    }

    @Test
    void aResizedJpegComesCloseToTransformersPixels() throws Exception {
        JsonNode ref = new ObjectMapper().readTree(VISION.resolve("reference.json").toFile()).path("images").path("photo.jpg");
        PatchedImage p = PatchedImage.of(RgbImage.read(VISION.resolve("images/photo.jpg")), ImageProcessorConfig.load(VISION));
        assertThat(p.resized()).isTrue();
        assertThat(new int[] {p.height(), p.width()}).containsExactly(288, 480); // 18 x 30 = 540 patches, as reference.json says
        assertThat(p.softTokens()).isEqualTo(ref.path("num_soft_tokens").asInt());
        float[] expected = read(VISION.resolve("images/photo.jpg.pixel_values.f32"));
        double mad = meanAbsoluteDifference(p.pixelValues(), expected, p.patches() * 768);
        // Java's JPEG decoder is not libjpeg-turbo's: values differ by a level or two here and there.
        System.out.printf("photo.jpg: mean absolute difference from transformers' pixel values %.6f (%.3f of 255)%n", mad, mad * 255);
        assertThat(mad).isLessThan(2.0 / 255);
    }

    /** The picture scripts/make-aspect-references.py makes from the same formula. */
    static RgbImage pattern(int width, int height) {
        byte[] rgb = new byte[width * height * 3];
        int o = 0;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                rgb[o++] = (byte) ((x * 7 + y * 3) % 256);
                rgb[o++] = (byte) ((x * 5) % 256);
                rgb[o++] = (byte) ((y * 11) % 256);
            }
        }
        return new RgbImage(width, height, rgb);
    }

    @Test
    void extremeAspectRatiosAreResizedAsTransformersResizesThemAndRefusedWhereTheEncoderCannotPlaceThem() throws Exception {
        JsonNode refs = new ObjectMapper().readTree(getClass().getResourceAsStream("/vision/aspect-references.json"));
        ImageProcessorConfig config = ImageProcessorConfig.load(VISION);
        VisionConfig vision = VisionConfig.load(VISION);
        assertThat(vision.positionTable()).isEqualTo(refs.path("position_embedding_size").asInt());
        int checked = 0;
        for (JsonNode c : refs.path("cases")) {
            int w = c.path("width").asInt();
            int h = c.path("height").asInt();
            String name = w + "x" + h;
            PatchedImage p = PatchedImage.of(pattern(w, h), config);
            assertThat(new int[] {p.width(), p.height()}).as(name).containsExactly(c.path("resized_width").asInt(), c.path("resized_height").asInt());
            assertThat(p.patches()).as(name).isEqualTo(c.path("patches").asInt());
            assertThat(p.softTokens()).as(name).isEqualTo(c.path("soft_tokens").asInt());
            assertThat(BicubicResizeTest.sha256(littleEndian(p.pixelValues()))).as(name).isEqualTo(c.path("pixel_values_sha256").asText());
            // The fixture's encoder places 64 columns and rows: where transformers fails, nightshift says why.
            String cannot = vision.cannotEncode(p);
            assertThat(cannot == null).as(name).isEqualTo(c.path("encoder_takes_it").asBoolean());
            if (cannot != null) assertThat(cannot).contains("columns").contains("at most " + vision.positionTable());
            checked++;
        }
        assertThat(checked).isEqualTo(5);
    }

    @Test
    void sizesFollowTheAspectRatioWithinTheBudget() {
        ImageProcessorConfig c = new ImageProcessorConfig(16, 3, 280, 1 / 255.0);
        assertThat(PatchedImage.targetSize(3000, 4000, c)).containsExactly(672, 912); // 14 x 19 tokens of at most 280
        // Too thin for one row at that scale: one row of 48, and the width the ratio asks for, capped at the budget.
        assertThat(PatchedImage.targetSize(10, 5000, c)).containsExactly(48, 280 * 48);
        assertThat(PatchedImage.targetSize(48, 48, c)).containsExactly(768, 768);
    }

    static byte[] littleEndian(float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) b.putFloat(v);
        return b.array();
    }

    static float[] read(Path f32) throws Exception {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(f32)).order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[b.remaining() / 4];
        b.asFloatBuffer().get(out);
        return out;
    }

    static double meanAbsoluteDifference(float[] a, float[] b, int n) {
        double sum = 0;
        for (int i = 0; i < n; i++) sum += Math.abs(a[i] - b[i]);
        return sum / n;
    }
}
