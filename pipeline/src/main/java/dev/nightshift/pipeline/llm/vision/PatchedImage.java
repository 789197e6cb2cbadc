package dev.nightshift.pipeline.llm.vision;

/**
 * An image as the vision encoder takes it (Gemma 4's image processor, as transformers runs it): resized
 * at its own aspect ratio to the largest size whose sides are multiples of patch x pooling kernel and
 * whose patches fit the budget, rescaled to [0, 1], cut into patches row by row, padded to the budget.
 *
 * @param pixelValues [maxPatches, patch * patch * 3] float32, each patch flattened as (dy, dx, channel);
 *                    padding patches are zeros
 * @param positions   [maxPatches, 2] (x = column, y = row) of each patch; (-1, -1) for padding
 * @param patches     real patches (the rest is padding)
 * @param softTokens  tokens the image takes in the prompt: patches / pooling kernel^2
 * @param width       the size it was resized to
 */
public record PatchedImage(float[] pixelValues, long[] positions, int patches, int softTokens, int width, int height,
                           boolean resized) {

    public static PatchedImage of(RgbImage image, ImageProcessorConfig config) {
        int[] size = targetSize(image.height(), image.width(), config);
        RgbImage resized = BicubicResize.resize(image, size[1], size[0]);
        int patch = config.patchSize();
        int rows = resized.height() / patch;
        int columns = resized.width() / patch;
        int maxPatches = config.maxPatches();
        int values = config.patchValues();
        float[] pixels = new float[maxPatches * values];
        long[] positions = new long[maxPatches * 2];
        java.util.Arrays.fill(positions, -1);
        double factor = config.rescaleFactor();
        // transformers rescales in float64 and stores float32.
        float[] scaled = new float[256];
        for (int v = 0; v < 256; v++) scaled[v] = (float) (v * factor);
        int p = 0;
        for (int py = 0; py < rows; py++) {
            for (int px = 0; px < columns; px++, p++) {
                int o = p * values;
                for (int dy = 0; dy < patch; dy++) {
                    for (int dx = 0; dx < patch; dx++) {
                        for (int ch = 0; ch < 3; ch++) pixels[o++] = scaled[resized.at(px * patch + dx, py * patch + dy, ch)];
                    }
                }
                positions[p * 2] = px;
                positions[p * 2 + 1] = py;
            }
        }
        return new PatchedImage(pixels, positions, p, p / (config.poolingKernel() * config.poolingKernel()),
                resized.width(), resized.height(), resized != image);
    }

    /**
     * {height, width} to resize to: s = sqrt(maxPatches * patch^2 / (h * w)); each side floor(s * side / m) * m
     * with m = patch x pooling kernel; a side that comes out 0 (a very thin image) gets m and the other
     * the aspect ratio's multiple of m, capped at the budget. As transformers' get_aspect_ratio_preserving_size.
     */
    static int[] targetSize(int height, int width, ImageProcessorConfig config) {
        int patch = config.patchSize();
        int maxPatches = config.maxPatches();
        double targetPixels = (double) maxPatches * patch * patch;
        double factor = Math.sqrt(targetPixels / ((double) height * width));
        int m = config.sideMultiple();
        int h = (int) Math.floor(factor * height / m) * m;
        int w = (int) Math.floor(factor * width / m) * m;
        if (h == 0 && w == 0) throw new IllegalArgumentException("image of " + width + "x" + height + " resizes to nothing");
        int maxSide = (maxPatches / (config.poolingKernel() * config.poolingKernel())) * m;
        if (h == 0) {
            h = m;
            w = Math.min((int) Math.floor((double) width / height) * m, maxSide);
        } else if (w == 0) {
            w = m;
            h = Math.min((int) Math.floor((double) height / width) * m, maxSide);
        }
        if ((double) h * w > targetPixels) {
            throw new IllegalArgumentException("image of " + width + "x" + height + " does not fit " + maxPatches + " patches");
        }
        return new int[] {h, w};
    }
}
