package dev.nightshift.pipeline.llm.graph;

import dev.nightshift.pipeline.llm.graph.Protobuf.Reader;
import dev.nightshift.pipeline.llm.model.ModelException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static dev.nightshift.pipeline.llm.graph.OnnxFields.*;

/**
 * Replaces a float output layer by a quantized one, in memory: {@code MatMul(hidden, W)} becomes
 * {@code MatMulNBits(hidden, W quantized to 8 or 4 bits in blocks of 32, scales)} with int8 activations
 * ({@code accuracy_level} 4). The file is not changed.
 *
 * <p>Why: the public fused Gemma 3 exports quantize the body to 4 bits but keep the tied output layer in
 * float, {@code MatMul(hidden, Transpose(embed_tokens))}: with 262,144 ids x 640 that is 671 MB read for
 * every decoded token, five times the 4-bit body, and at batch 1 decoding waits on memory. 8 bits read a
 * quarter of that, 4 bits an eighth.
 *
 * <p>How: the output layer is found from {@code logits} as {@code LastPositionPatch} finds it. Its weight
 * is either a float initializer [hidden, vocab] or {@code Transpose(E)} of a float initializer E
 * [vocab, hidden] (the tied embedding, read from the external data file where it lives). Each output
 * column n (a row of E) is cut into blocks of 32 along the hidden axis; a block's scale is its value of
 * largest magnitude divided by -2^(bits-1), so that value maps exactly to the lowest level, and every
 * value to {@code round(w / scale) + 2^(bits-1)} (symmetric, as ONNX Runtime's own MatMulNBits quantizer
 * does; no zero points are stored, the kernel assumes 2^(bits-1)). The Transpose, if nothing else reads
 * it, is dropped: ONNX Runtime would otherwise fold it into a transposed float copy at load. The
 * embedding lookup keeps the float table.
 *
 * <p>Tokens can differ from the float head's where two logits are close; {@code bench generate} and
 * {@code model verify} measure how often.
 */
public final class QuantizedHeadPatch {
    /** Weights a quantization block holds along the hidden axis. */
    public static final int BLOCK = 32;
    private static final String PREFIX = "nightshift/head/";

    /**
     * The graph to load; whether it was changed, and if not, why; and the quantized weights the changed
     * graph names but does not hold, to hand to ONNX Runtime as initializers (so hundreds of megabytes
     * are not copied into the graph's bytes and parsed back).
     */
    public record Result(byte[] model, boolean applied, String reason, List<Weight> weights) {
    }

    /**
     * A weight the patched graph reads: its name, element type (uint8 or float32), shape and values in a
     * direct buffer in native order.
     */
    public record Weight(String name, boolean isFloat, long[] shape, ByteBuffer data) {
    }

    private QuantizedHeadPatch() {
    }

    /**
     * @param model  the bytes of an ONNX decoder graph
     * @param folder where the graph's external data files are
     * @param bits   8 or 4
     * @throws ModelException when the bytes are not a graph this reader can walk, or the weights cannot be read
     */
    public static Result apply(byte[] model, Path folder, int bits) {
        if (bits != 8 && bits != 4) throw new IllegalArgumentException("bits must be 8 or 4, not " + bits);
        String[] reason = {"no float output layer to quantize"};
        List<Weight> weights = new ArrayList<>();
        try {
            byte[] out = Protobuf.rewrite(model, 0, model.length, MODEL_GRAPH, (b, start, end) -> {
                GraphIndex graph = new GraphIndex(b, start, end);
                GraphIndex.Node head = graph.outputLayer();
                if (head == null || !head.op().equals("MatMul") || head.inputs().size() != 2) {
                    if (head != null && head.op().equals("MatMulNBits")) reason[0] = "the output layer is quantized already";
                    return null;
                }
                Weights w = weights(graph, head.inputs().get(1), folder);
                if (w == null) return null;
                Quantized q = quantize(w, bits);
                String name = PREFIX + "q" + bits;
                Map<Integer, List<byte[]>> replaced = new HashMap<>();
                replaced.put(head.start(), List.of(NodeProtos.node("MatMulNBits", "com.microsoft", name,
                        new String[] {head.inputs().get(0), name + "/B", name + "/scales"}, head.outputs().toArray(String[]::new),
                        NodeProtos.intAttribute("K", w.k()), NodeProtos.intAttribute("N", w.n()), NodeProtos.intAttribute("bits", bits),
                        NodeProtos.intAttribute("block_size", BLOCK), NodeProtos.intAttribute("accuracy_level", 4))));
                if (w.transpose() != null && graph.readers(w.transpose().outputs().get(0)) == 1) replaced.put(w.transpose().start(), List.of());
                int blocks = blocks(w.k());
                weights.add(new Weight(name + "/B", false, new long[] {w.n(), blocks, BLOCK * bits / 8}, q.blobs()));
                weights.add(new Weight(name + "/scales", true, new long[] {(long) w.n() * blocks}, q.scales()));
                return graph.write(replaced, weights.stream().map(QuantizedHeadPatch::placeholder).toList());
            });
            return out == null ? new Result(model, false, reason[0], List.of()) : new Result(out, true, "", List.copyOf(weights));
        } catch (IndexOutOfBoundsException | IllegalStateException e) {
            throw new ModelException("cannot read the graph to quantize its output layer: " + e.getMessage(), e);
        }
    }

    /**
     * The output layer's weight as K x N values, column n read as a row: from {@code Transpose(E)} of E
     * [N, K] (the tied embedding) or from an initializer [K, N]. Null when it is neither, or not float32.
     */
    private static Weights weights(GraphIndex graph, String input, Path folder) {
        GraphIndex.Node transpose = graph.producer.get(input);
        if (transpose != null) {
            if (!transpose.op().equals("Transpose") || transpose.inputs().size() != 1) return null;
            long[] perm = graph.intsAttribute(transpose, "perm");
            if (perm != null && !(perm.length == 2 && perm[0] == 1 && perm[1] == 0)) return null;
            Tensor e = Tensor.read(graph, transpose.inputs().get(0), folder);
            if (e == null || e.dims().length != 2) return null;
            return new Weights((int) e.dims()[1], (int) e.dims()[0], e.data(), true, transpose);
        }
        Tensor w = Tensor.read(graph, input, folder);
        if (w == null || w.dims().length != 2) return null;
        return new Weights((int) w.dims()[0], (int) w.dims()[1], w.data(), false, null);
    }

    /**
     * @param k         the hidden width (MatMulNBits' K)
     * @param n         the vocabulary (N)
     * @param data      float32 little-endian values: [n, k] when {@code byColumn}, else [k, n]
     * @param transpose the Transpose node that made the weight from the embedding, or null
     */
    private record Weights(int k, int n, FloatBuffer data, boolean byColumn, GraphIndex.Node transpose) {
        /** Column {@code column}'s k values into {@code into}: one bulk read when they lie in a row of the embedding. */
        void column(int column, float[] into) {
            if (byColumn) {
                data.get(column * k, into, 0, k);
            } else {
                for (int row = 0; row < k; row++) into[row] = data.get(row * n + column);
            }
        }
    }

    /** B [n, blocks, BLOCK * bits / 8] packed low nibble first, scales [n * blocks] float32; direct, native order. */
    private record Quantized(ByteBuffer blobs, ByteBuffer scales) {
    }

    /** Each quantizing thread's copy of the column it works on. */
    private static final ThreadLocal<float[]> COLUMN = ThreadLocal.withInitial(() -> new float[0]);

    static int blocks(int k) {
        return (k + BLOCK - 1) / BLOCK;
    }

    /** Symmetric blockwise quantization of every column (see the class comment); columns in parallel. */
    private static Quantized quantize(Weights w, int bits) {
        int blocks = blocks(w.k());
        int blob = BLOCK * bits / 8;
        int zero = 1 << (bits - 1);
        int top = (1 << bits) - 1;
        ByteBuffer blobs = ByteBuffer.allocateDirect(w.n() * blocks * blob).order(ByteOrder.nativeOrder());
        ByteBuffer scales = ByteBuffer.allocateDirect(w.n() * blocks * Float.BYTES).order(ByteOrder.nativeOrder());
        IntStream.range(0, w.n()).parallel().forEach(n -> {
            float[] column = COLUMN.get();
            if (column.length < w.k()) COLUMN.set(column = new float[w.k()]);
            w.column(n, column);
            for (int block = 0; block < blocks; block++) {
                int from = block * BLOCK;
                int to = Math.min(w.k(), from + BLOCK);
                float extreme = 0;
                for (int k = from; k < to; k++) {
                    if (Math.abs(column[k]) > Math.abs(extreme)) extreme = column[k];
                }
                float scale = extreme / -zero;
                scales.putFloat((n * blocks + block) * Float.BYTES, scale);
                float inverse = scale == 0 ? 0 : 1 / scale;
                int base = (n * blocks + block) * blob;
                for (int k = from; k < from + BLOCK; k++) {
                    int q = k < to ? Math.max(0, Math.min(top, Math.round(column[k] * inverse) + zero)) : zero;
                    int i = k - from;
                    if (bits == 8) {
                        blobs.put(base + i, (byte) q);
                    } else if ((i & 1) == 0) {
                        blobs.put(base + i / 2, (byte) q);
                    } else {
                        blobs.put(base + i / 2, (byte) (blobs.get(base + i / 2) | q << 4));
                    }
                }
            }
        });
        return new Quantized(blobs, scales);
    }

    /**
     * A TensorProto naming the weight, its type and shape, whose data is "external" in a file that does
     * not exist: ONNX Runtime takes the values from the tensor the loader hands it for that name
     * ({@code SessionOptions.addExternalInitializers}) and never reads the file.
     */
    private static byte[] placeholder(Weight w) {
        java.io.ByteArrayOutputStream t = new java.io.ByteArrayOutputStream();
        for (long d : w.shape()) Protobuf.writeInt(t, TENSOR_DIMS, d);
        Protobuf.writeInt(t, TENSOR_DATA_TYPE, w.isFloat() ? TENSOR_FLOAT : TENSOR_UINT8);
        Protobuf.writeString(t, TENSOR_NAME, w.name());
        for (String[] entry : new String[][] {{"location", "nightshift-in-memory"}, {"offset", "0"},
                {"length", Integer.toString(w.data().capacity())}}) {
            java.io.ByteArrayOutputStream e = new java.io.ByteArrayOutputStream();
            Protobuf.writeString(e, ENTRY_KEY, entry[0]);
            Protobuf.writeString(e, ENTRY_VALUE, entry[1]);
            Protobuf.writeBytes(t, TENSOR_EXTERNAL_DATA, e.toByteArray());
        }
        Protobuf.writeInt(t, TENSOR_DATA_LOCATION, 1);
        return t.toByteArray();
    }

    /** A float32 initializer's shape and values, inline or from its external data file. */
    private record Tensor(long[] dims, FloatBuffer data) {
        static Tensor read(GraphIndex graph, String name, Path folder) {
            int[] at = graph.initializers.get(name);
            if (at == null) return null;
            List<Long> dims = new ArrayList<>();
            int type = 0;
            int rawStart = -1;
            int rawLength = 0;
            boolean external = false;
            Map<String, String> location = new HashMap<>();
            Reader r = new Reader(graph.bytes, at[0], at[1]);
            while (r.more()) {
                long tag = r.varint();
                int field = (int) (tag >>> 3);
                int wire = (int) (tag & 7);
                if (field == TENSOR_DIMS && wire == Protobuf.VARINT) {
                    dims.add(r.varint());
                } else if (field == TENSOR_DIMS && wire == Protobuf.LENGTH_DELIMITED) {
                    int end = (int) r.varint() + r.pos;
                    while (r.pos < end) dims.add(r.varint());
                } else if (field == TENSOR_DATA_TYPE && wire == Protobuf.VARINT) {
                    type = (int) r.varint();
                } else if ((field == TENSOR_RAW_DATA || field == TENSOR_FLOAT_DATA) && wire == Protobuf.LENGTH_DELIMITED) {
                    rawLength = (int) r.varint();
                    rawStart = r.pos;
                    r.pos += rawLength;
                } else if (field == TENSOR_EXTERNAL_DATA && wire == Protobuf.LENGTH_DELIMITED) {
                    int end = (int) r.varint() + r.pos;
                    String key = null;
                    String value = null;
                    while (r.pos < end) {
                        long t = r.varint();
                        if ((t >>> 3) == ENTRY_KEY) key = r.string();
                        else if ((t >>> 3) == ENTRY_VALUE) value = r.string();
                        else r.skip((int) (t & 7));
                    }
                    if (key != null) location.put(key, value);
                } else if (field == TENSOR_DATA_LOCATION && wire == Protobuf.VARINT) {
                    external = r.varint() == 1;
                } else {
                    r.skip(wire);
                }
            }
            if (type != TENSOR_FLOAT) return null;
            long[] shape = dims.stream().mapToLong(Long::longValue).toArray();
            long values = 1;
            for (long d : shape) values *= d;
            if (!external) {
                if (rawStart < 0 || rawLength != values * Float.BYTES) return null;
                return new Tensor(shape, ByteBuffer.wrap(graph.bytes, rawStart, rawLength).slice().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer());
            }
            return new Tensor(shape, external(folder, location, values * Float.BYTES, name));
        }

        /** The values of an external initializer, mapped from its file (never copied onto the heap). */
        private static FloatBuffer external(Path folder, Map<String, String> location, long bytes, String name) {
            String file = location.get("location");
            long offset = Long.parseLong(location.getOrDefault("offset", "0"));
            long length = Long.parseLong(location.getOrDefault("length", Long.toString(bytes)));
            if (file == null || length != bytes || bytes > Integer.MAX_VALUE) {
                throw new ModelException("cannot read the weight " + name + " (" + location + "): not one float32 block under 2 GiB");
            }
            Path path = folder.resolve(file).normalize();
            if (!path.startsWith(folder.normalize())) throw new ModelException("the weight " + name + " points outside its folder: " + file);
            try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
                return channel.map(FileChannel.MapMode.READ_ONLY, offset, length).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
            } catch (IOException e) {
                throw new ModelException("cannot read the weight " + name + " from " + path + ": " + e.getMessage(), e);
            }
        }
    }
}
