package dev.nightshift.pipeline.llm.vision;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nightshift.pipeline.llm.model.ModelException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * How a Gemma 4 folder wants its images prepared, from {@code preprocessor_config.json} (or the
 * {@code image_processor} part of {@code processor_config.json}).
 *
 * @param patchSize      pixels on a patch's side (16)
 * @param poolingKernel  patches pooled into one soft token, per side (3)
 * @param maxSoftTokens  soft tokens an image may take (70, 140, 280, 560 or 1120)
 * @param rescaleFactor  what a byte is multiplied by (1/255)
 */
public record ImageProcessorConfig(int patchSize, int poolingKernel, int maxSoftTokens, double rescaleFactor) {
    private static final Set<Integer> SOFT_TOKEN_BUDGETS = Set.of(70, 140, 280, 560, 1120);
    /** PIL's code for bicubic resampling: the only one this reproduces. */
    private static final int BICUBIC = 3;

    public ImageProcessorConfig {
        if (patchSize < 1 || poolingKernel < 1) throw new ModelException("patch_size and pooling_kernel_size must be positive");
        if (!SOFT_TOKEN_BUDGETS.contains(maxSoftTokens)) {
            throw new ModelException("max_soft_tokens must be one of " + SOFT_TOKEN_BUDGETS + ", not " + maxSoftTokens);
        }
    }

    /** Patches an image may take: max_soft_tokens x pooling_kernel^2. */
    public int maxPatches() {
        return maxSoftTokens * poolingKernel * poolingKernel;
    }

    /** Values in one flattened patch: patch x patch x 3 channels. */
    public int patchValues() {
        return patchSize * patchSize * 3;
    }

    /** The side every resized image's height and width is a multiple of: patch x pooling kernel. */
    public int sideMultiple() {
        return patchSize * poolingKernel;
    }

    /** Reads the folder's image processor settings; null when the folder has none (a text-only model). */
    public static ImageProcessorConfig load(Path folder) {
        try {
            JsonNode node = null;
            Path pre = folder.resolve("preprocessor_config.json");
            Path processor = folder.resolve("processor_config.json");
            if (Files.isRegularFile(pre)) {
                node = new ObjectMapper().readTree(pre.toFile());
            } else if (Files.isRegularFile(processor)) {
                JsonNode p = new ObjectMapper().readTree(processor.toFile());
                node = p.has("image_processor") ? p.get("image_processor") : p;
            }
            if (node == null) return null;
            if (node.path("do_normalize").asBoolean(false)) {
                throw new ModelException("image processor with do_normalize=true is not supported (Gemma 4 does not normalize)");
            }
            int resample = node.path("resample").asInt(BICUBIC);
            if (resample != BICUBIC) throw new ModelException("image processor resample=" + resample + " is not supported (only 3, bicubic)");
            return new ImageProcessorConfig(node.path("patch_size").asInt(16), node.path("pooling_kernel_size").asInt(3),
                    node.path("max_soft_tokens").asInt(280), node.path("rescale_factor").asDouble(1.0 / 255));
        } catch (IOException e) {
            throw new ModelException("cannot read the image processor settings in " + folder + ": " + e.getMessage(), e);
        }
    }
}
