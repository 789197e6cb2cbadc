package dev.nightshift.pipeline.llm.graph;

import dev.nightshift.pipeline.llm.model.ModelException;

import java.util.Set;
import java.util.TreeSet;

/** The operators a graph is made of, read from its bytes (for choosing how to batch it). */
public final class GraphOps {
    /**
     * Attention operators that take each row's length from the mask's count of ones and assume the row's
     * tokens fill the first slots (ONNX Runtime's contrib ops, as the fused exports use them).
     */
    private static final Set<String> LENGTH_BASED_ATTENTION = Set.of("GroupQueryAttention", "PagedAttention",
            "SparseAttention");

    private GraphOps() {
    }

    /** The op types of the main graph's nodes. */
    public static Set<String> opTypes(byte[] model) {
        try {
            GraphIndex graph = GraphIndex.of(model);
            Set<String> ops = new TreeSet<>();
            if (graph != null) graph.nodes.forEach(n -> ops.add(n.op()));
            return ops;
        } catch (IndexOutOfBoundsException | IllegalStateException e) {
            throw new ModelException("cannot read the graph's operators: " + e.getMessage(), e);
        }
    }

    /** The first attention operator among {@code ops} that reads row lengths from the mask, or null. */
    public static String lengthBasedAttention(Set<String> ops) {
        return ops.stream().filter(LENGTH_BASED_ATTENTION::contains).findFirst().orElse(null);
    }
}
