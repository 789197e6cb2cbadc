package dev.nightshift.pipeline.llm;

/**
 * The precision of the output layer (the "head": hidden state to logits). A graph whose head is float
 * (the public fused Gemma 3 exports tie it to the float embedding table) can have it quantized in memory
 * ({@code QuantizedHeadPatch}); the file is not changed.
 */
public enum Head {
    /**
     * {@link #INT8} for a 4-bit graph (its body already runs with int8 activations, and on every
     * reference case of the fused fixtures the 8-bit head gives the float head's tokens), as shipped for
     * every other precision.
     */
    DEFAULT(0),
    /** As the file has it. */
    AS_SHIPPED(0),
    /** 8-bit weights in blocks of 32, int8 activations: a quarter of the float head's bytes per token. */
    INT8(8),
    /** 4-bit weights in blocks of 32, int8 activations: an eighth. */
    INT4(4);

    private final int bits;

    Head(int bits) {
        this.bits = bits;
    }

    /** Weight bits, 0 for {@link #AS_SHIPPED} and {@link #DEFAULT}. */
    public int bits() {
        return bits;
    }
}
