package dev.nightshift.pipeline.llm;

/**
 * How a loaded graph's output layer runs.
 *
 * @param bits        the weight bits it was quantized to in memory, 0 when it runs as shipped
 * @param description in words, e.g. {@code 8-bit in memory (blocks of 32, int8 activations)} or
 *                    {@code as shipped (the output layer is quantized already)}
 */
public record HeadChoice(int bits, String description) {
    /** True when the head was quantized in memory. */
    public boolean quantized() {
        return bits > 0;
    }
}
