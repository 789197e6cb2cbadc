package dev.nightshift.pipeline.llm;

import dev.nightshift.pipeline.llm.Protobuf.Reader;

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

    private static final int MODEL_GRAPH = 7;
    private static final int GRAPH_NODE = 1;
    private static final int NODE_OP_TYPE = 4;
    private static final int NODE_ATTRIBUTE = 5;
    private static final int ATTRIBUTE_NAME = 1;
    private static final int ATTRIBUTE_I = 3;
    private static final int ATTRIBUTE_TYPE = 20;
    private static final int ATTRIBUTE_TYPE_INT = 2;
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
            ByteArrayOutputStream out = new ByteArrayOutputStream(model.length + 4096);
            int[] patched = {0};
            Reader r = new Reader(model, 0, model.length);
            while (r.more()) {
                int fieldStart = r.pos;
                long tag = r.varint();
                int field = (int) (tag >>> 3);
                int wire = (int) (tag & 7);
                if (field == MODEL_GRAPH && wire == 2) {
                    int length = (int) r.varint();
                    byte[] graph = patchGraph(model, r.pos, r.pos + length, level, patched);
                    r.pos += length;
                    Protobuf.writeVarint(out, tag);
                    Protobuf.writeVarint(out, graph.length);
                    out.writeBytes(graph);
                } else {
                    r.skip(wire);
                    out.write(model, fieldStart, r.pos - fieldStart);
                }
            }
            return new Result(patched[0] == 0 ? model : out.toByteArray(), patched[0]);
        } catch (IndexOutOfBoundsException | IllegalStateException e) {
            throw new ModelException("cannot read the graph to set accuracy_level: " + e.getMessage(), e);
        }
    }

    private static byte[] patchGraph(byte[] b, int start, int end, int level, int[] patched) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(end - start + 4096);
        Reader r = new Reader(b, start, end);
        while (r.more()) {
            int fieldStart = r.pos;
            long tag = r.varint();
            int field = (int) (tag >>> 3);
            int wire = (int) (tag & 7);
            if (field == GRAPH_NODE && wire == 2) {
                int length = (int) r.varint();
                int nodeStart = r.pos;
                r.pos += length;
                if (needsPatch(b, nodeStart, nodeStart + length)) {
                    byte[] attribute = attribute(level);
                    ByteArrayOutputStream node = new ByteArrayOutputStream(length + attribute.length + 4);
                    node.write(b, nodeStart, length);
                    Protobuf.writeVarint(node, ((long) NODE_ATTRIBUTE << 3) | 2);
                    Protobuf.writeVarint(node, attribute.length);
                    node.writeBytes(attribute);
                    Protobuf.writeVarint(out, tag);
                    Protobuf.writeVarint(out, node.size());
                    out.writeBytes(node.toByteArray());
                    patched[0]++;
                } else {
                    out.write(b, fieldStart, r.pos - fieldStart);
                }
            } else {
                r.skip(wire);
                out.write(b, fieldStart, r.pos - fieldStart);
            }
        }
        return out.toByteArray();
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
