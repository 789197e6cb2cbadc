package dev.nightshift.pipeline.llm.graph;

import dev.nightshift.pipeline.llm.graph.Protobuf.Reader;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.nightshift.pipeline.llm.graph.OnnxFields.*;

/**
 * A GraphProto's nodes, initializers and inputs, located in its bytes (nothing is copied), and a writer
 * that emits the graph again with some nodes replaced and initializers added; every other field is copied
 * as bytes. What the graph patches share.
 */
final class GraphIndex {
    /** Nodes between the output layer and {@code logits} that work on each element alone. */
    private static final Set<String> ELEMENTWISE = Set.of("Mul", "Div", "Tanh", "Cast", "Add", "Sub");
    private static final Set<String> OUTPUT_LAYER = Set.of("MatMul", "MatMulNBits");

    /** A node: where its bytes are, and what it does. */
    record Node(int start, int end, String op, List<String> inputs, List<String> outputs) {
    }

    final byte[] bytes;
    final int start;
    final int end;
    final List<Node> nodes = new ArrayList<>();
    final Map<String, Node> producer = new HashMap<>();
    /** Initializers (TensorProto) by name: [start, end) of each message. */
    final Map<String, int[]> initializers = new HashMap<>();
    final Set<String> inputs = new HashSet<>();

    GraphIndex(byte[] bytes, int start, int end) {
        this.bytes = bytes;
        this.start = start;
        this.end = end;
        Reader r = new Reader(bytes, start, end);
        while (r.more()) {
            long tag = r.varint();
            int field = (int) (tag >>> 3);
            int wire = (int) (tag & 7);
            if (wire != Protobuf.LENGTH_DELIMITED || (field != GRAPH_NODE && field != GRAPH_INPUT && field != GRAPH_INITIALIZER)) {
                r.skip(wire);
                continue;
            }
            int length = (int) r.varint();
            int at = r.pos;
            r.pos += length;
            if (field == GRAPH_NODE) {
                Node n = node(at, at + length);
                nodes.add(n);
                n.outputs().forEach(o -> producer.put(o, n));
            } else {
                String name = name(at, at + length, field == GRAPH_INPUT ? VALUE_INFO_NAME : TENSOR_NAME);
                if (field == GRAPH_INPUT) inputs.add(name);
                else initializers.put(name, new int[] {at, at + length});
            }
        }
    }

    /** The main graph of a ModelProto; null when the model has none. */
    static GraphIndex of(byte[] model) {
        Reader m = new Reader(model, 0, model.length);
        while (m.more()) {
            long tag = m.varint();
            int wire = (int) (tag & 7);
            if ((tag >>> 3) == MODEL_GRAPH && wire == Protobuf.LENGTH_DELIMITED) {
                int length = (int) m.varint();
                return new GraphIndex(model, m.pos, m.pos + length);
            }
            m.skip(wire);
        }
        return null;
    }

    /**
     * The output layer: the MatMul or MatMulNBits reached from {@code logits} through element-wise nodes
     * (Gemma's soft-capping: Div, Tanh, Mul; casts), each of whose other inputs is a constant; null if not.
     */
    Node outputLayer() {
        Node n = producer.get("logits");
        for (int hops = 0; n != null && hops < 16; hops++) {
            if (OUTPUT_LAYER.contains(n.op())) return n;
            if (!ELEMENTWISE.contains(n.op())) return null;
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

    /** How many nodes read {@code value}. */
    int readers(String value) {
        int count = 0;
        for (Node n : nodes) count += (int) n.inputs().stream().filter(value::equals).count();
        return count;
    }

    /** An int-list attribute of a node ({@code perm} of a Transpose), or null when it has none. */
    long[] intsAttribute(Node node, String name) {
        Reader r = new Reader(bytes, node.start(), node.end());
        while (r.more()) {
            long tag = r.varint();
            int wire = (int) (tag & 7);
            if ((tag >>> 3) != NODE_ATTRIBUTE || wire != Protobuf.LENGTH_DELIMITED) {
                r.skip(wire);
                continue;
            }
            int length = (int) r.varint();
            Reader a = new Reader(bytes, r.pos, r.pos + length);
            r.pos += length;
            String attribute = null;
            List<Long> ints = new ArrayList<>();
            while (a.more()) {
                long t = a.varint();
                int f = (int) (t >>> 3);
                int w = (int) (t & 7);
                if (f == ATTRIBUTE_NAME && w == Protobuf.LENGTH_DELIMITED) attribute = a.string();
                else if (f == ATTRIBUTE_INTS && w == Protobuf.VARINT) ints.add(a.varint());
                else if (f == ATTRIBUTE_INTS && w == Protobuf.LENGTH_DELIMITED) {
                    int packedEnd = (int) a.varint() + a.pos;
                    while (a.pos < packedEnd) ints.add(a.varint());
                } else a.skip(w);
            }
            if (name.equals(attribute)) return ints.stream().mapToLong(Long::longValue).toArray();
        }
        return null;
    }

    /**
     * The graph again, each node in {@code replaced} (by its start) written as the nodes it maps to (none:
     * dropped), and {@code added} initializers (TensorProto bytes) appended.
     */
    byte[] write(Map<Integer, List<byte[]>> replaced, List<byte[]> added) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(end - start + 1024 + added.stream().mapToInt(a -> a.length + 8).sum());
        Reader r = new Reader(bytes, start, end);
        while (r.more()) {
            int fieldStart = r.pos;
            long tag = r.varint();
            int field = (int) (tag >>> 3);
            int wire = (int) (tag & 7);
            if (field == GRAPH_NODE && wire == Protobuf.LENGTH_DELIMITED) {
                int length = (int) r.varint();
                int nodeStart = r.pos;
                r.pos += length;
                List<byte[]> instead = replaced.get(nodeStart);
                if (instead != null) {
                    for (byte[] node : instead) Protobuf.writeBytes(out, GRAPH_NODE, node);
                    continue;
                }
            } else {
                r.skip(wire);
            }
            out.write(bytes, fieldStart, r.pos - fieldStart);
        }
        for (byte[] tensor : added) Protobuf.writeBytes(out, GRAPH_INITIALIZER, tensor);
        return out.toByteArray();
    }

    /** The node's bytes with its input {@code index} renamed; every other field copied. */
    byte[] withInput(Node node, int index, String input) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(node.end() - node.start() + input.length());
        int seen = 0;
        Reader r = new Reader(bytes, node.start(), node.end());
        while (r.more()) {
            int fieldStart = r.pos;
            long tag = r.varint();
            int field = (int) (tag >>> 3);
            int wire = (int) (tag & 7);
            r.skip(wire);
            if (field == NODE_INPUT && wire == Protobuf.LENGTH_DELIMITED && seen++ == index) {
                Protobuf.writeString(out, NODE_INPUT, input);
            } else {
                out.write(bytes, fieldStart, r.pos - fieldStart);
            }
        }
        return out.toByteArray();
    }

    private Node node(int from, int to) {
        List<String> in = new ArrayList<>();
        List<String> out = new ArrayList<>();
        String op = "";
        Reader r = new Reader(bytes, from, to);
        while (r.more()) {
            long tag = r.varint();
            int field = (int) (tag >>> 3);
            int wire = (int) (tag & 7);
            if (wire == Protobuf.LENGTH_DELIMITED && field == NODE_INPUT) in.add(r.string());
            else if (wire == Protobuf.LENGTH_DELIMITED && field == NODE_OUTPUT) out.add(r.string());
            else if (wire == Protobuf.LENGTH_DELIMITED && field == NODE_OP_TYPE) op = r.string();
            else r.skip(wire);
        }
        return new Node(from, to, op, in, out);
    }

    private String name(int from, int to, int nameField) {
        Reader r = new Reader(bytes, from, to);
        while (r.more()) {
            long tag = r.varint();
            if ((tag >>> 3) == nameField && (tag & 7) == Protobuf.LENGTH_DELIMITED) return r.string();
            r.skip((int) (tag & 7));
        }
        return "";
    }
}
