package dev.nightshift.pipeline.llm;

/**
 * The vision encoder's output for the images of one prompt: one row per image token of the prompt, in
 * the order the tokens appear.
 *
 * @param rows  [tokens, width] float32, row-major
 * @param width the text model's hidden size
 */
record ImageFeatures(float[] rows, int width) {
    public ImageFeatures {
        if (width < 1 || rows.length % width != 0) throw new IllegalArgumentException(rows.length + " values are not rows of " + width);
    }

    public int tokens() {
        return rows.length / width;
    }
}
