package dev.nightshift.pipeline.llm.graph;

import dev.nightshift.pipeline.llm.model.ModelException;

import dev.nightshift.pipeline.llm.graph.Protobuf.Reader;

import static dev.nightshift.pipeline.llm.graph.OnnxFields.*;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Makes a decoder graph compute its logits for the last position only, in memory.
 *
 * <p>Why: exports without a {@code num_logits_to_keep} input compute logits [batch, sequence, vocab] for
 * every prompt position, and the engine reads only the last. With Gemma 3's 262,144-id vocabulary and a
 * hidden width of 640, a 105-token note costs 105 x 262,144 x 640 multiply-adds in the output layer
 * alone: most of a short document's prefill, and work that batching does not share.
 *
 * <p>How: the node that makes {@code logits} is found and followed back through element-wise nodes
 * (Gemma's final soft-capping: Div, Tanh, Mul; casts) to the MatMul or MatMulNBits of the output
 * layer. Its activation input, hidden [batch, sequence, hidden], is replaced by
 * {@code Slice(hidden, starts=[-1], ends=[INT64_MAX], axes=[1])} = [batch, 1, hidden]; the output layer
 * and everything after it then run on one position per row, and logits come out [batch, 1, vocab].
 * The rows are those the full graph computes for the last position (the norm before the output layer
 * is per position), so the engine's tokens do not change; the reference cases check it. Prompts are
 * left-padded, so the last position is every row's last real token.
 *
 * <p>A graph that declares {@code num_logits_to_keep} already does this and is left alone, as is one
 * whose output layer is not reached that way or was patched before ({@link Result#applied()} says which).
 */
public final class LastPositionPatch {

    /** Nodes between the output layer and {@code logits} that work on each element alone. */
    private static final Set<String> ELEMENTWISE = Set.of("Mul", "Div", "Tanh", "Cast", "Add", "Sub");
    private static final Set<String> OUTPUT_LAYER = Set.of("MatMul", "MatMulNBits");
    private static final String PREFIX = "nightshift/last_position/";

    /** The graph to load, and whether it was changed. */
    public record Result(byte[] model, boolean applied) {
    }

    private record Node(int start, int end, String op, List<String> inputs, List<String> outputs) {
    }

    private LastPositionPatch() {
    }

    /**
     * @param model the bytes of an ONNX decoder graph
     * @return the graph computing logits for the last position only, or {@code model} itself when it
     *         already can ({@code num_logits_to_keep}) or its output layer is not recognised
     * @throws ModelException when the bytes are not a protobuf this reader can walk
     */
    public static Result apply(byte[] model) {
        try {
            byte[] out = Protobuf.rewrite(model, 0, model.length, MODEL_GRAPH, LastPositionPatch::patchGraph);
            return out == null ? new Result(model, false) : new Result(out, true);
        } catch (IndexOutOfBoundsException | IllegalStateException e) {
            throw new ModelException("cannot read the graph to keep the last position's logits: " + e.getMessage(), e);
        }
    }

    /** The patched GraphProto, or null when the graph is left as it is. */
    private static byte[] patchGraph(byte[] b, int start, int end) {
        List<Node> nodes = new ArrayList<>();
        Reader r = new Reader(b, start, end);
        while (r.more()) {
            long tag = r.varint();
            int field = (int) (tag >>> 3);
            int wire = (int) (tag & 7);
            if (field == GRAPH_NODE && wire == Protobuf.LENGTH_DELIMITED) {
                int length = (int) r.varint();
                nodes.add(node(b, r.pos, r.pos + length));
                r.pos += length;
            } else if (field == GRAPH_INPUT && wire == Protobuf.LENGTH_DELIMITED) {
                int length = (int) r.varint();
                if ("num_logits_to_keep".equals(valueInfoName(b, r.pos, r.pos + length))) return null;
                r.pos += length;
            } else {
                r.skip(wire);
            }
        }
        Map<String, Node> producer = new HashMap<>();
        for (Node n : nodes) n.outputs().forEach(o -> producer.put(o, n));
        Node target = outputLayer(producer);
        if (target == null) return null;

        ByteArrayOutputStream out = new ByteArrayOutputStream(end - start + 1024);
        String hidden = target.inputs().get(0);
        String sliced = PREFIX + "hidden";
        r = new Reader(b, start, end);
        while (r.more()) {
            int fieldStart = r.pos;
            long tag = r.varint();
            int field = (int) (tag >>> 3);
            int wire = (int) (tag & 7);
            if (field == GRAPH_NODE && wire == Protobuf.LENGTH_DELIMITED) {
                int length = (int) r.varint();
                int nodeStart = r.pos;
                r.pos += length;
                if (nodeStart == target.start()) {
                    Protobuf.writeBytes(out, GRAPH_NODE, constant(PREFIX + "starts", -1));
                    Protobuf.writeBytes(out, GRAPH_NODE, constant(PREFIX + "ends", Long.MAX_VALUE));
                    Protobuf.writeBytes(out, GRAPH_NODE, constant(PREFIX + "axes", 1));
                    Protobuf.writeBytes(out, GRAPH_NODE, slice(hidden, sliced));
                    Protobuf.writeBytes(out, GRAPH_NODE, withFirstInput(b, nodeStart, nodeStart + length, sliced));
                    continue;
                }
            } else {
                r.skip(wire);
            }
            out.write(b, fieldStart, r.pos - fieldStart);
        }
        return out.toByteArray();
    }

    /** The output layer's node, reached from {@code logits} through element-wise nodes; null if not. */
    private static Node outputLayer(Map<String, Node> producer) {
        Node n = producer.get("logits");
        for (int hops = 0; n != null && hops < 16; hops++) {
            if (OUTPUT_LAYER.contains(n.op())) {
                Node activation = producer.get(n.inputs().isEmpty() ? "" : n.inputs().get(0));
                boolean done = activation != null && activation.outputs().contains(PREFIX + "hidden");
                return activation == null || done || "Constant".equals(activation.op()) ? null : n;
            }
            if (!ELEMENTWISE.contains(n.op())) return null;
            // Follow the one input computed from the data; the others must be constants.
            Node data = null;
            for (String input : n.inputs()) {
                Node p = producer.get(input);
                if (p == null || "Constant".equals(p.op())) continue;
                if (data != null) return null;
                data = p;
            }
            n = data;
        }
        return null;
    }

    private static Node node(byte[] b, int start, int end) {
        List<String> inputs = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        String op = "";
        Reader r = new Reader(b, start, end);
        while (r.more()) {
            long tag = r.varint();
            int field = (int) (tag >>> 3);
            int wire = (int) (tag & 7);
            if (wire == Protobuf.LENGTH_DELIMITED && field == NODE_INPUT) inputs.add(r.string());
            else if (wire == Protobuf.LENGTH_DELIMITED && field == NODE_OUTPUT) outputs.add(r.string());
            else if (wire == Protobuf.LENGTH_DELIMITED && field == NODE_OP_TYPE) op = r.string();
            else r.skip(wire);
        }
        return new Node(start, end, op, inputs, outputs);
    }

    private static String valueInfoName(byte[] b, int start, int end) {
        Reader r = new Reader(b, start, end);
        while (r.more()) {
            long tag = r.varint();
            if ((tag >>> 3) == VALUE_INFO_NAME && (tag & 7) == Protobuf.LENGTH_DELIMITED) return r.string();
            r.skip((int) (tag & 7));
        }
        return null;
    }

    /** The node's bytes with its first input renamed; every other field copied. */
    private static byte[] withFirstInput(byte[] b, int start, int end, String input) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(end - start + input.length());
        boolean renamed = false;
        Reader r = new Reader(b, start, end);
        while (r.more()) {
            int fieldStart = r.pos;
            long tag = r.varint();
            int field = (int) (tag >>> 3);
            int wire = (int) (tag & 7);
            r.skip(wire);
            if (!renamed && field == NODE_INPUT && wire == Protobuf.LENGTH_DELIMITED) {
                Protobuf.writeString(out, NODE_INPUT, input);
                renamed = true;
            } else {
                out.write(b, fieldStart, r.pos - fieldStart);
            }
        }
        return out.toByteArray();
    }

    /** NodeProto Constant: {@code output} = int64 tensor [1] holding {@code value}. */
    private static byte[] constant(String output, long value) {
        ByteArrayOutputStream tensor = new ByteArrayOutputStream();
        Protobuf.writeInt(tensor, TENSOR_DIMS, 1);
        Protobuf.writeInt(tensor, TENSOR_DATA_TYPE, TENSOR_INT64);
        Protobuf.writeBytes(tensor, TENSOR_RAW_DATA, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array());
        ByteArrayOutputStream attribute = new ByteArrayOutputStream();
        Protobuf.writeString(attribute, ATTRIBUTE_NAME, "value");
        Protobuf.writeBytes(attribute, ATTRIBUTE_T, tensor.toByteArray());
        Protobuf.writeInt(attribute, ATTRIBUTE_TYPE, ATTRIBUTE_TYPE_TENSOR);
        ByteArrayOutputStream node = new ByteArrayOutputStream();
        Protobuf.writeString(node, NODE_OUTPUT, output);
        Protobuf.writeString(node, NODE_NAME, output);
        Protobuf.writeString(node, NODE_OP_TYPE, "Constant");
        Protobuf.writeBytes(node, NODE_ATTRIBUTE, attribute.toByteArray());
        return node.toByteArray();
    }

    /** NodeProto Slice(data, starts, ends, axes) -> output. */
    private static byte[] slice(String data, String output) {
        ByteArrayOutputStream node = new ByteArrayOutputStream();
        Protobuf.writeString(node, NODE_INPUT, data);
        Protobuf.writeString(node, NODE_INPUT, PREFIX + "starts");
        Protobuf.writeString(node, NODE_INPUT, PREFIX + "ends");
        Protobuf.writeString(node, NODE_INPUT, PREFIX + "axes");
        Protobuf.writeString(node, NODE_OUTPUT, output);
        Protobuf.writeString(node, NODE_NAME, PREFIX + "slice");
        Protobuf.writeString(node, NODE_OP_TYPE, "Slice");
        return node.toByteArray();
    }
}
