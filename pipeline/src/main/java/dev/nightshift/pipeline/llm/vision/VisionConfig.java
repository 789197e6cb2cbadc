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
public record VisionConfig(long imageTokenId, long boiTokenId, long eoiTokenId, ImageProcessorConfig processor) {

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
                config.path("eoi_token_id").asLong(), processor);
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
