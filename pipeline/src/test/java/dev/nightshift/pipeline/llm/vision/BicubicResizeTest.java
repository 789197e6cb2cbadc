package dev.nightshift.pipeline.llm.vision;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Against Pillow's own output: scripts/make-resize-references.py resized the test images with
 * {@code Image.resize(size, Image.BICUBIC)} and recorded the SHA-256 of the RGB bytes.
 */
class BicubicResizeTest {
    @Test
    void givesPillowsBytesWhenShrinkingEnlargingAndBoth() throws Exception {
        JsonNode refs;
        try (InputStream in = getClass().getResourceAsStream("/vision/resize-references.json")) {
            refs = new ObjectMapper().readTree(in);
        }
        int checked = 0;
        for (JsonNode c : refs.path("cases")) {
            RgbImage source;
            try (InputStream in = getClass().getResourceAsStream("/vision/" + c.path("image").asText())) {
                source = RgbImage.read(in, c.path("image").asText());
            }
            RgbImage resized = BicubicResize.resize(source, c.path("width").asInt(), c.path("height").asInt());
            assertThat(sha256(resized.rgb())).as("%s to %dx%d", c.path("image").asText(), c.path("width").asInt(), c.path("height").asInt())
                    .isEqualTo(c.path("sha256").asText());
            checked++;
        }
        assertThat(checked).isEqualTo(14);
    }

    @Test
    void theFilterIsKeysCubicWithAMinusOneHalf() {
        assertThat(BicubicResize.filter(0)).isEqualTo(1.0);
        assertThat(BicubicResize.filter(1)).isEqualTo(0.0);
        assertThat(BicubicResize.filter(2)).isEqualTo(0.0);
        assertThat(BicubicResize.filter(0.5)).isEqualTo(0.5625);
        assertThat(BicubicResize.filter(-1.5)).isEqualTo(-0.0625);
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
