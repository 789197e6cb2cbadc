package dev.nightshift.pipeline.llm.graph;

import dev.nightshift.pipeline.llm.model.ModelException;

import dev.nightshift.pipeline.llm.graph.Protobuf.Reader;

import static dev.nightshift.pipeline.llm.graph.OnnxFields.*;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Sets {@code accuracy_level} on the 4-bit {@code MatMulNBits} nodes of an ONNX graph, in memory.
 *
 * <p>Why: onnx-community's 4-bit exports carry no {@code accuracy_level}, so ONNX Runtime dequantizes
 * the weights to float and multiplies in float. With {@code accuracy_level=4} its CPU kernel quantizes
 * the activations to int8 and multiplies int4 x int8 (the kernel class llama.cpp uses), which is much
 * faster on CPUs and changes the numbers slightly: greedy tokens can differ from transformers', so
 * {@code model verify} checks the graph as shipped and reports how often the patched one agrees.
 *
 * <p>How: the ONNX file is a protobuf {@code ModelProto}. Only the path to the nodes is parsed
 * (ModelProto.graph = field 7, GraphProto.node = field 1, NodeProto.op_type = field 4,
 * NodeProto.attribute = field 5, AttributeProto.name = field 1); every other field, initializers
 * included, is copied as bytes, and the lengths of the graph and of each patched node are written
 * anew. A node that already has an {@code accuracy_level} keeps it. Nodes inside subgraphs (If/Loop
 * bodies) are left alone: the Gemma exports have none around their MatMulNBits.
 */
public final class AccuracyLevelPatch {
    /** int8 activations: the fastest CPU path of MatMulNBits. */
    public static final int INT8 = 4;

    private static final String OP = "MatMulNBits";
    private static final String NAME = "accuracy_level";

    /** The patched model and how many nodes were changed. */
    public record Result(byte[] model, int patchedNodes) {
    }

    private AccuracyLevelPatch() {
    }

    /**
     * @param model the bytes of an ONNX file
     * @return the model with {@code accuracy_level = level} on every MatMulNBits node that had none
     * @throws ModelException when the bytes are not a protobuf this reader can walk
     */
    public static Result apply(byte[] model, int level) {
        try {
            int[] patched = {0};
            byte[] attribute = attribute(level);
            byte[] out = Protobuf.rewrite(model, 0, model.length, MODEL_GRAPH,
                    (m, graphStart, graphEnd) -> Protobuf.rewrite(m, graphStart, graphEnd, GRAPH_NODE, (g, nodeStart, nodeEnd) -> {
                        if (!needsPatch(g, nodeStart, nodeEnd)) return null;
                        patched[0]++;
                        ByteArrayOutputStream node = new ByteArrayOutputStream(nodeEnd - nodeStart + attribute.length + 4);
                        node.write(g, nodeStart, nodeEnd - nodeStart);
                        Protobuf.writeBytes(node, NODE_ATTRIBUTE, attribute);
                        return node.toByteArray();
                    }));
            return new Result(out == null ? model : out, patched[0]);
        } catch (IndexOutOfBoundsException | IllegalStateException e) {
            throw new ModelException("cannot read the graph to set accuracy_level: " + e.getMessage(), e);
        }
    }

    /** A MatMulNBits node without an accuracy_level attribute. */
    private static boolean needsPatch(byte[] b, int start, int end) {
        Reader r = new Reader(b, start, end);
        boolean isOp = false;
        boolean hasLevel = false;
        while (r.more()) {
            long tag = r.varint();
            int field = (int) (tag >>> 3);
            int wire = (int) (tag & 7);
            if (wire == 2 && (field == NODE_OP_TYPE || field == NODE_ATTRIBUTE)) {
                int length = (int) r.varint();
                if (field == NODE_OP_TYPE) {
                    isOp = OP.equals(new String(b, r.pos, length, StandardCharsets.UTF_8));
                } else if (NAME.equals(attributeName(b, r.pos, r.pos + length))) {
                    hasLevel = true;
                }
                r.pos += length;
            } else {
                r.skip(wire);
            }
        }
        return isOp && !hasLevel;
    }

    private static String attributeName(byte[] b, int start, int end) {
        Reader r = new Reader(b, start, end);
        while (r.more()) {
            long tag = r.varint();
            if ((tag >>> 3) == ATTRIBUTE_NAME && (tag & 7) == 2) {
                int length = (int) r.varint();
                return new String(b, r.pos, length, StandardCharsets.UTF_8);
            }
            r.skip((int) (tag & 7));
        }
        return null;
    }

    /** AttributeProto {name: "accuracy_level", i: level, type: INT}. */
    private static byte[] attribute(int level) {
        ByteArrayOutputStream a = new ByteArrayOutputStream();
        byte[] name = NAME.getBytes(StandardCharsets.UTF_8);
        Protobuf.writeVarint(a, ((long) ATTRIBUTE_NAME << 3) | 2);
        Protobuf.writeVarint(a, name.length);
        a.writeBytes(name);
        Protobuf.writeVarint(a, (long) ATTRIBUTE_I << 3);
        Protobuf.writeVarint(a, level);
        Protobuf.writeVarint(a, (long) ATTRIBUTE_TYPE << 3);
        Protobuf.writeVarint(a, ATTRIBUTE_TYPE_INT);
        return a.toByteArray();
    }
}
