package dev.nightshift.pipeline.llm.graph;

import dev.nightshift.pipeline.llm.graph.Protobuf.Reader;
import dev.nightshift.pipeline.llm.model.ModelException;

import java.util.Set;
import java.util.TreeSet;

import static dev.nightshift.pipeline.llm.graph.OnnxFields.*;

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
        Set<String> ops = new TreeSet<>();
        try {
            Reader m = new Reader(model, 0, model.length);
            while (m.more()) {
                long tag = m.varint();
                int wire = (int) (tag & 7);
                if ((tag >>> 3) != MODEL_GRAPH || wire != Protobuf.LENGTH_DELIMITED) {
                    m.skip(wire);
                    continue;
                }
                int graphEnd = (int) m.varint() + m.pos;
                Reader g = new Reader(model, m.pos, graphEnd);
                while (g.more()) {
                    long t = g.varint();
                    int w = (int) (t & 7);
                    if ((t >>> 3) != GRAPH_NODE || w != Protobuf.LENGTH_DELIMITED) {
                        g.skip(w);
                        continue;
                    }
                    int nodeEnd = (int) g.varint() + g.pos;
                    Reader n = new Reader(model, g.pos, nodeEnd);
                    while (n.more()) {
                        long nt = n.varint();
                        if ((nt >>> 3) == NODE_OP_TYPE && (nt & 7) == Protobuf.LENGTH_DELIMITED) ops.add(n.string());
                        else n.skip((int) (nt & 7));
                    }
                    g.pos = nodeEnd;
                }
                m.pos = graphEnd;
            }
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
