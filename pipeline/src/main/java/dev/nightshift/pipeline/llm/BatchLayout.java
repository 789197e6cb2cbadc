package dev.nightshift.pipeline.llm;

/**
 * Where each row's tokens, keys and values sit in a batch whose rows have different lengths. A batch is
 * {@code width} slots wide (the cache's length); a row holds {@code tokens} real ones among them, the
 * rest is padding that the attention mask hides.
 */
public enum BatchLayout {
    /**
     * Rows end together: a row's tokens fill the last slots, padding comes first. Exact for graphs whose
     * attention reads the mask slot by slot (torch.onnx exports), and what transformers does.
     */
    LEFT_PADDED;

    /** The first slot of a row of {@code tokens} real tokens in a batch {@code width} slots wide. */
    int start(long tokens, long width) {
        return (int) (width - tokens);
    }

    /**
     * The mask of a decoding step: [rows, width + 1], each row attending to its own tokens and the new one
     * ({@code cached[r]} tokens of row r are in the cache).
     */
    long[] decodeMask(long[] cached, int width) {
        int rows = cached.length;
        long[] mask = new long[rows * (width + 1)];
        for (int r = 0; r < rows; r++) {
            int from = start(cached[r] + 1, width + 1);
            java.util.Arrays.fill(mask, r * (width + 1) + from, r * (width + 1) + from + (int) cached[r] + 1, 1);
        }
        return mask;
    }

    /**
     * The slots [from, to) of a batch {@code width} wide that its rows still read: the padding every row
     * has in common can go.
     */
    int[] neededSlots(long[] cached, int width) {
        long most = 0;
        for (long c : cached) most = Math.max(most, c);
        return new int[] {start(most, width), width};
    }

    /** True when a row joining the batch keeps its keys and values at the end of the batch's slots. */
    boolean alignsEnds() {
        return true;
    }
}
