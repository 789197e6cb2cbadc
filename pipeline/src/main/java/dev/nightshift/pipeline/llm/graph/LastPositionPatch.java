package dev.nightshift.pipeline.llm.graph;

import dev.nightshift.pipeline.llm.model.ModelException;

import dev.nightshift.pipeline.llm.graph.Protobuf.Reader;

import static dev.nightshift.pipeline.llm.graph.OnnxFields.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Makes a decoder graph compute its logits for each row's last real token only, in memory.
 *
 * <p>Why: exports without a {@code num_logits_to_keep} input compute logits [batch, sequence, vocab] for
 * every prompt position, and the engine reads one per row. With Gemma 3's 262,144-id vocabulary and a
 * hidden width of 640, a 105-token note costs 105 x 262,144 x 640 multiply-adds in the output layer
 * alone: most of a short document's prefill, and work that batching does not share.
 *
 * <p>How: the node that makes {@code logits} is found and followed back through element-wise nodes
 * (Gemma's final soft-capping: Div, Tanh, Mul; casts) to the MatMul or MatMulNBits of the output layer.
 * Its activation input, hidden [batch, sequence, hidden], is replaced by each row's hidden state at its
 * last real token, [batch, 1, hidden]; the output layer and everything after it then run on one
 * position per row, and logits come out [batch, 1, vocab]. Which position is a row's last is read from
 * the attention mask [batch, past + sequence], whatever the batch layout:
 * <pre>
 * last[b]  = argmax(mask[b] * (0, 1, ..., past + sequence - 1))   the slot of the row's last 1 (ArgMax, keepdims)
 * index[b] = clamp(last[b] - past, 0, sequence - 1)                 that slot among this step's positions
 * hidden'  = Reshape(GatherND(hidden, index, batch_dims=1), [0, 1, -1])
 * </pre>
 * Left-padded rows end at the last position; right-aligned rows (the fused-attention exports, whose
 * padding follows a row's tokens) end where their own ones do. A decoding step has one position, so
 * every index is 0. The rows are those the full graph computes at those positions (the norm before the
 * output layer is per position), so tokens do not change; {@code LastPositionPatchTest} compares them
 * bit for bit.
 *
 * <p>A graph that declares {@code num_logits_to_keep} already avoids the work and is left alone, as is
 * one whose output layer is not reached that way, whose opset is older than 13 (GatherND's batch_dims,
 * integer Max and Min), or that was patched before ({@link Result#applied()} says which).
 */
public final class LastPositionPatch {

    private static final String PREFIX = "nightshift/last_position/";
    /** The default domain's opset from which every node the patch adds exists as used here. */
    private static final long MIN_OPSET = 13;

    /** The graph to load, and whether it was changed. */
    public record Result(byte[] model, boolean applied) {
    }

    private LastPositionPatch() {
    }

    /**
     * @param model the bytes of an ONNX decoder graph
     * @return the graph computing logits for each row's last real token only, or {@code model} itself
     *         when it already can ({@code num_logits_to_keep}) or its output layer is not recognised
     * @throws ModelException when the bytes are not a protobuf this reader can walk
     */
    public static Result apply(byte[] model) {
        try {
            if (defaultOpset(model) < MIN_OPSET) return new Result(model, false);
            byte[] out = Protobuf.rewrite(model, 0, model.length, MODEL_GRAPH, LastPositionPatch::patchGraph);
            return out == null ? new Result(model, false) : new Result(out, true);
        } catch (IndexOutOfBoundsException | IllegalStateException e) {
            throw new ModelException("cannot read the graph to keep the last position's logits: " + e.getMessage(), e);
        }
    }

    /** The version of the default ("" or "ai.onnx") domain the model imports; 0 when it names none. */
    private static long defaultOpset(byte[] b) {
        long version = 0;
        Reader r = new Reader(b, 0, b.length);
        while (r.more()) {
            long tag = r.varint();
            int wire = (int) (tag & 7);
            if ((tag >>> 3) == MODEL_OPSET_IMPORT && wire == Protobuf.LENGTH_DELIMITED) {
                int length = (int) r.varint();
                String domain = "";
                long v = 0;
                Reader o = new Reader(b, r.pos, r.pos + length);
                while (o.more()) {
                    long t = o.varint();
                    if ((t >>> 3) == OPSET_DOMAIN && (t & 7) == Protobuf.LENGTH_DELIMITED) domain = o.string();
                    else if ((t >>> 3) == OPSET_VERSION && (t & 7) == Protobuf.VARINT) v = o.varint();
                    else o.skip((int) (t & 7));
                }
                if (domain.isEmpty() || domain.equals("ai.onnx")) version = v;
                r.pos += length;
            } else {
                r.skip(wire);
            }
        }
        return version;
    }

    /** The patched GraphProto, or null when the graph is left as it is. */
    private static byte[] patchGraph(byte[] b, int start, int end) {
        GraphIndex graph = new GraphIndex(b, start, end);
        if (graph.inputs.contains("num_logits_to_keep")) return null;
        GraphIndex.Node target = graph.outputLayer();
        if (target == null || target.inputs().isEmpty()) return null;
        GraphIndex.Node activation = graph.producer.get(target.inputs().get(0));
        // Not an output layer fed by the model (a constant, a graph input), or patched before.
        if (activation == null || "Constant".equals(activation.op()) || activation.outputs().contains(PREFIX + "hidden")) return null;
        List<byte[]> nodes = lastRows(target.inputs().get(0), PREFIX + "hidden");
        nodes.add(graph.withInput(target, 0, PREFIX + "hidden"));
        return graph.write(Map.of(target.start(), nodes), List.of());
    }

    /**
     * The nodes that turn hidden [batch, sequence, width] into each row's state at its last real token,
     * [batch, 1, width], as {@code output} (the formula in the class comment).
     */
    private static List<byte[]> lastRows(String hidden, String output) {
        String p = PREFIX;
        List<byte[]> nodes = new ArrayList<>();
        nodes.add(NodeProtos.int64Constant(p + "zero", 0, false));
        nodes.add(NodeProtos.int64Constant(p + "one", 1, false));
        nodes.add(NodeProtos.int64Constant(p + "shape", new long[] {0, 1, -1}));
        // total = past + sequence, from the mask; sequence from the hidden states
        nodes.add(NodeProtos.node("Shape", p + "mask_shape", new String[] {"attention_mask"}, new String[] {p + "mask_shape"}));
        nodes.add(NodeProtos.node("Gather", p + "total", new String[] {p + "mask_shape", p + "one"}, new String[] {p + "total"},
                NodeProtos.intAttribute("axis", 0)));
        nodes.add(NodeProtos.node("Shape", p + "hidden_shape", new String[] {hidden}, new String[] {p + "hidden_shape"}));
        nodes.add(NodeProtos.node("Gather", p + "sequence", new String[] {p + "hidden_shape", p + "one"}, new String[] {p + "sequence"},
                NodeProtos.intAttribute("axis", 0)));
        nodes.add(NodeProtos.node("Sub", p + "past", new String[] {p + "total", p + "sequence"}, new String[] {p + "past"}));
        nodes.add(NodeProtos.node("Sub", p + "final", new String[] {p + "sequence", p + "one"}, new String[] {p + "final"}));
        // last[b]: the slot of the row's last 1
        nodes.add(NodeProtos.node("Range", p + "slots", new String[] {p + "zero", p + "total", p + "one"}, new String[] {p + "slots"}));
        nodes.add(NodeProtos.node("Cast", p + "mask", new String[] {"attention_mask"}, new String[] {p + "mask"},
                NodeProtos.intAttribute("to", TENSOR_INT64)));
        nodes.add(NodeProtos.node("Mul", p + "weighted", new String[] {p + "mask", p + "slots"}, new String[] {p + "weighted"}));
        nodes.add(NodeProtos.node("ArgMax", p + "last", new String[] {p + "weighted"}, new String[] {p + "last"},
                NodeProtos.intAttribute("axis", 1), NodeProtos.intAttribute("keepdims", 1)));
        // index[b] = clamp(last[b] - past, 0, sequence - 1), [batch, 1]
        nodes.add(NodeProtos.node("Sub", p + "offset", new String[] {p + "last", p + "past"}, new String[] {p + "offset"}));
        nodes.add(NodeProtos.node("Max", p + "at_least_0", new String[] {p + "offset", p + "zero"}, new String[] {p + "at_least_0"}));
        nodes.add(NodeProtos.node("Min", p + "index", new String[] {p + "at_least_0", p + "final"}, new String[] {p + "index"}));
        // [batch, width] -> [batch, 1, width]
        nodes.add(NodeProtos.node("GatherND", p + "gather", new String[] {hidden, p + "index"}, new String[] {p + "gathered"},
                NodeProtos.intAttribute("batch_dims", 1)));
        nodes.add(NodeProtos.node("Reshape", p + "reshape", new String[] {p + "gathered", p + "shape"}, new String[] {output}));
        return nodes;
    }
}
