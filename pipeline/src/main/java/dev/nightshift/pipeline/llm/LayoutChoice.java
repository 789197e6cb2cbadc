package dev.nightshift.pipeline.llm;

/**
 * The batch layout chosen for a loaded graph, and why (see {@code LayoutProbe}).
 *
 * @param layout          where the rows of a batch sit
 * @param inPlace         whether the graph writes keys and values into buffers it is given (fused attention)
 *                        instead of returning new ones every step
 * @param reason          what the graph is made of and what the probe found, in words
 * @param worstDifference the largest difference the probe saw between a row in a batch and alone, as a
 *                        share of the range of its logits (NaN when no padded layout held)
 * @param millis          how long the probe took
 */
public record LayoutChoice(BatchLayout layout, boolean inPlace, String reason, double worstDifference, long millis) {
}
