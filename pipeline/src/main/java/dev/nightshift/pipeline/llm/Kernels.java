package dev.nightshift.pipeline.llm;

import dev.nightshift.pipeline.llm.graph.AccuracyLevelPatch;

/**
 * Which CPU kernels a 4-bit graph runs with (see {@link AccuracyLevelPatch}). Graphs of other
 * precisions have no MatMulNBits nodes and run as shipped either way.
 */
public enum Kernels {
    /** The graph as the file has it: float activations, what transformers' references are made with. */
    AS_SHIPPED,
    /** {@code accuracy_level=4} on MatMulNBits: int8 activations, much faster on CPUs, tokens may differ slightly. */
    INT8
}
