package dev.nightshift.pipeline.llm.vision;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nightshift.pipeline.llm.model.ModelException;

import java.io.IOException;
import java.nio.file.Path;

/**
 * What a vision folder adds to a text model: the multimodal token ids from {@code config.json} (never
 * hard-coded: the cut-down fixture and the real models differ) and the image processor settings.
 *
 * @param imageTokenId one soft token of an image, repeated; its rows of {@code inputs_embeds} are the
 *                     vision encoder's features
 * @param boiTokenId   begins an image
 * @param eoiTokenId   ends an image
 */
public record VisionConfig(long imageTokenId, long boiTokenId, long eoiTokenId, ImageProcessorConfig processor, int positionTable) {

    public VisionConfig(long imageTokenId, long boiTokenId, long eoiTokenId, ImageProcessorConfig processor) {
        this(imageTokenId, boiTokenId, eoiTokenId, processor, 0);
    }

    /**
     * Why the encoder cannot take this picture, or null when it can: it looks up each patch's column and
     * row in a table of {@code positionTable} entries (vision_config.position_embedding_size), and a long,
     * thin picture (a banner, a 1-pixel line) can have more patches in a row than that. transformers
     * fails on it too (an index error); ONNX Runtime fails in a Gather.
     */
    public String cannotEncode(PatchedImage image) {
        if (positionTable <= 0) return null;
        long columns = 0;
        long rows = 0;
        for (int i = 0; i < image.patches(); i++) {
            columns = Math.max(columns, image.positions()[2 * i] + 1);
            rows = Math.max(rows, image.positions()[2 * i + 1] + 1);
        }
        if (columns <= positionTable && rows <= positionTable) return null;
        return "too long and thin for this model's vision encoder (" + image.width() + "x" + image.height() + " after resizing: "
                + columns + " columns and " + rows + " rows of patches; it places at most " + positionTable + " in either)";
    }

    public static VisionConfig load(Path folder) {
        JsonNode config;
        try {
            config = new ObjectMapper().readTree(folder.resolve("config.json").toFile());
        } catch (IOException e) {
            throw new ModelException("cannot read " + folder.resolve("config.json") + ": " + e.getMessage(), e);
        }
        for (String key : new String[] {"image_token_id", "boi_token_id", "eoi_token_id"}) {
            if (!config.path(key).canConvertToLong()) {
                throw new ModelException(folder + " has a vision encoder but config.json has no " + key);
            }
        }
        ImageProcessorConfig processor = ImageProcessorConfig.load(folder);
        if (processor == null) {
            throw new ModelException(folder + " has a vision encoder but no preprocessor_config.json or processor_config.json");
        }
        return new VisionConfig(config.path("image_token_id").asLong(), config.path("boi_token_id").asLong(),
                config.path("eoi_token_id").asLong(), processor, config.path("vision_config").path("position_embedding_size").asInt(0));
    }

    /**
     * The prompt with each image token expanded to begin-of-image, the image's soft tokens and
     * end-of-image, images in order.
     *
     * @throws IllegalArgumentException when the prompt has not one image token per image
     */
    public long[] expand(long[] ids, int[] softTokensPerImage) {
        int images = 0;
        int extra = 0;
        for (long id : ids) {
            if (id == imageTokenId) {
                if (images < softTokensPerImage.length) extra += softTokensPerImage[images] + 1;
                images++;
            }
        }
        if (images != softTokensPerImage.length) {
            throw new IllegalArgumentException("the prompt has " + images + " image tokens for " + softTokensPerImage.length + " images");
        }
        long[] out = new long[ids.length + extra];
        int o = 0;
        int image = 0;
        for (long id : ids) {
            if (id != imageTokenId) {
                out[o++] = id;
                continue;
            }
            out[o++] = boiTokenId;
            for (int i = 0; i < softTokensPerImage[image]; i++) out[o++] = imageTokenId;
            out[o++] = eoiTokenId;
            image++;
        }
        return out;
    }
}
