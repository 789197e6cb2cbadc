package dev.nightshift.pipeline.llm;

import java.util.Arrays;

/**
 * Where each row's tokens, keys and values sit in a batch whose rows have different lengths. A batch is
 * {@code width} slots wide (the cache's length); a row holds {@code tokens} real ones among them, the
 * rest is padding that the attention mask hides.
 *
 * <p>The two export families of Gemma need opposite layouts, and nothing in a graph's inputs says which:
 * the engine chooses per loaded graph ({@code LayoutProbe}).
 */
public enum BatchLayout {
    /**
     * Rows end together: a row's tokens fill the last slots, padding comes first. Exact for graphs whose
     * attention reads the mask slot by slot (torch.onnx exports, as transformers pads); wrong for fused
     * attention, which reads only how many ones a row has.
     */
    LEFT_PADDED(true, true),
    /**
     * Rows start together: a row's tokens, keys and values fill slots [0, tokens), padding follows; logits
     * are read at each row's own last token. What ONNX Runtime's fused {@code GroupQueryAttention} (the
     * public onnx-community exports) assumes; wrong for torch.onnx graphs, whose sliding windows count slots.
     */
    RIGHT_ALIGNED(false, true),
    /**
     * No padding at all: only rows of one length run together (their prompts prefilled together, never
     * joined by later ones). The fallback for a graph that neither layout reproduces: slower, but exact.
     */
    EQUAL_LENGTHS(true, false),
    /**
     * One row at a time: for a graph whose rows change each other's numbers even without padding (int8
     * activations quantized over the whole batch, as dynamically quantized exports do).
     */
    SINGLE_ROWS(true, false);

    private final boolean alignsEnds;
    private final boolean mixesLengths;

    BatchLayout(boolean alignsEnds, boolean mixesLengths) {
        this.alignsEnds = alignsEnds;
        this.mixesLengths = mixesLengths;
    }

    /** True when rows of different lengths may share a batch (padded and masked). */
    public boolean mixesLengths() {
        return mixesLengths;
    }

    /** True when a row's tokens end at the batch's last slot (padding first). */
    boolean alignsEnds() {
        return alignsEnds;
    }

    /** The first slot of a row of {@code tokens} real tokens in a batch {@code width} slots wide. */
    int start(long tokens, long width) {
        return (int) (alignsEnds ? width - tokens : 0);
    }

    /**
     * The mask of a decoding step: [rows, width + 1], each row attending to its own tokens and the new one
     * ({@code cached[r]} tokens of row r are in the cache, which is {@code width} slots wide).
     */
    long[] decodeMask(long[] cached, int width) {
        int rows = cached.length;
        long[] mask = new long[rows * (width + 1)];
        for (int r = 0; r < rows; r++) {
            int from = r * (width + 1) + start(cached[r] + 1, width + 1);
            Arrays.fill(mask, from, from + (int) cached[r] + 1, 1);
        }
        return mask;
    }

    /**
     * The slots [from, to) of a batch {@code width} wide that its rows (of {@code cached} tokens each)
     * still read: the padding every row has in common can go.
     */
    int[] neededSlots(long[] cached, int width) {
        int most = (int) Arrays.stream(cached).max().orElse(0);
        return alignsEnds ? new int[] {width - most, width} : new int[] {0, most};
    }
}
