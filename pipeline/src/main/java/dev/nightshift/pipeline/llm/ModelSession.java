package dev.nightshift.pipeline.llm;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxTensorLike;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.nightshift.pipeline.llm.model.ModelConfig;
import dev.nightshift.pipeline.llm.model.ModelException;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.ShortBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One forward pass of the decoder graph, and nothing else: it turns a {@link Step} (ids, positions, mask)
 * into the graph's feeds, runs {@code embed_tokens} first for the two-graph layout, reads each row's
 * logits and moves the {@link KvCache} forward. Where rows sit in a batch is the caller's business
 * ({@link BatchLayout}); which tokens to feed is the decoders'.
 *
 * <p>Everything about the graph (input names, KV pairs and their widths, element types, whether it
 * returns logits for every position) is read from the session's metadata when it is opened.
 *
 * <p>Not thread-safe: the buffers are reused from step to step (allocating direct memory per step cost a
 * third of decode time).
 */
final class ModelSession implements AutoCloseable {
    private static final Pattern PAST = Pattern.compile("past_key_values\\.(\\d+)\\.(key|value)");

    /** Which positions of a step the graph returns logits for. */
    enum LogitPositions {
        /** Patched by {@code LastPositionPatch}: one row per batch row, at that row's own last real token. */
        EACH_ROWS_LAST,
        /** A {@code num_logits_to_keep} input: the last N positions of the step. */
        LAST_N,
        /** Every position of the step: [rows, length, vocab]. */
        ALL
    }

    /**
     * One forward pass's feeds.
     *
     * @param rows      batch rows
     * @param length    new positions per row
     * @param ids       [rows, length] token ids (padding: the pad id)
     * @param positions [rows, length] rotary positions
     * @param mask      [rows, width] 1 for every slot (past and new) a row attends to
     * @param width     the mask's width: the cache's length + {@code length}
     * @param last      [rows] which of the {@code length} new positions holds each row's last real token
     * @param images    image features to put over image tokens' embeddings, or null
     */
    record Step(int rows, int length, long[] ids, long[] positions, long[] mask, int width, int[] last, ImageRows images) {
    }

    /** Where image features go in one step: flat row b * length + t of inputs_embeds <- a feature row. */
    record ImageRows(int[] targets, ImageFeatures[] sources, int[] sourceRows) {
    }

    private final OrtEnvironment env;
    private final ModelConfig config;
    private final Path decoderGraph;
    private final OrtSession embed;
    private final OrtSession decoder;
    private final List<KvSlot> kv;
    private final Set<String> presentNames;
    private final Set<String> decoderInputs;
    private final OnnxJavaType logitsType;
    private final int vocab;
    private final LogitPositions logitPositions;
    private final AtomicLong sessionNanos;
    /** Initializers handed to the decoder session (a quantized head): they must live as long as it. */
    private final List<OnnxTensor> weights;
    private volatile BooleanSupplier cancelled = () -> false;
    private final DirectBuffer idsBuffer = new DirectBuffer();
    private final DirectBuffer positionsBuffer = new DirectBuffer();
    private final DirectBuffer maskBuffer = new DirectBuffer();
    private final DirectBuffer logitsBuffer = new DirectBuffer();

    /**
     * @param embed        the embed_tokens graph of the two-graph layout, or null
     * @param lastPatched  true when the decoder was patched to return each row's last position only
     * @param weights      initializers given to the decoder session, closed with it
     * @param sessionNanos where time inside {@code OrtSession.run} is added up (shared with the vision encoder)
     */
    ModelSession(OrtEnvironment env, ModelConfig config, Path decoderGraph, OrtSession embed, OrtSession decoder,
                 boolean lastPatched, List<OnnxTensor> weights, AtomicLong sessionNanos) throws OrtException {
        this.weights = weights;
        this.env = env;
        this.config = config;
        this.decoderGraph = decoderGraph;
        this.embed = embed;
        this.decoder = decoder;
        this.sessionNanos = sessionNanos;
        Map<String, NodeInfo> inputs = decoder.getInputInfo();
        this.decoderInputs = inputs.keySet();
        this.kv = kvSlots(inputs, decoder.getOutputInfo().keySet());
        this.presentNames = new LinkedHashSet<>();
        kv.forEach(slot -> presentNames.add(slot.presentName()));
        checkInputs(inputs.keySet());
        NodeInfo logits = decoder.getOutputInfo().get("logits");
        if (logits == null) throw new ModelException(decoderGraph + " has no 'logits' output");
        TensorInfo logitsInfo = (TensorInfo) logits.getInfo();
        long[] shape = logitsInfo.getShape();
        this.vocab = shape[shape.length - 1] > 0 ? (int) shape[shape.length - 1] : config.vocabSize();
        this.logitsType = logitsInfo.type;
        if (logitsType != OnnxJavaType.FLOAT && logitsType != OnnxJavaType.FLOAT16) {
            throw new ModelException("logits of type " + logitsType + " are not supported");
        }
        this.logitPositions = lastPatched ? LogitPositions.EACH_ROWS_LAST
                : decoderInputs.contains("num_logits_to_keep") ? LogitPositions.LAST_N : LogitPositions.ALL;
    }

    /** Pairs the graph declares, in layer order: past_key_values.{i}.key|value -> present.{i}.key|value. */
    private static List<KvSlot> kvSlots(Map<String, NodeInfo> inputs, Set<String> outputs) {
        TreeMap<Integer, List<KvSlot>> byLayer = new TreeMap<>();
        for (Map.Entry<String, NodeInfo> e : inputs.entrySet()) {
            Matcher m = PAST.matcher(e.getKey());
            if (!m.matches()) continue;
            TensorInfo info = (TensorInfo) e.getValue().getInfo();
            long[] shape = info.getShape(); // [batch, kv_heads, past_length, head_dim]
            if (shape.length != 4 || shape[1] <= 0 || shape[3] <= 0) {
                throw new ModelException("graph input " + e.getKey() + " has shape " + Arrays.toString(shape)
                        + "; expected [batch, kv_heads, past_length, head_dim] with fixed heads and width");
            }
            String present = "present." + m.group(1) + "." + m.group(2);
            if (!outputs.contains(present)) throw new ModelException("graph has " + e.getKey() + " but no output " + present);
            byLayer.computeIfAbsent(Integer.parseInt(m.group(1)), k -> new ArrayList<>())
                    .add(new KvSlot(e.getKey(), present, shape[1], shape[3], info.type));
        }
        List<KvSlot> slots = new ArrayList<>();
        byLayer.values().forEach(slots::addAll);
        return List.copyOf(slots);
    }

    private void checkInputs(Set<String> names) {
        for (String name : names) {
            if (PAST.matcher(name).matches()) continue;
            switch (name) {
                case "attention_mask", "position_ids", "num_logits_to_keep", "use_cache_branch" -> { }
                case "input_ids" -> {
                    if (embed != null) throw new ModelException("the decoder takes input_ids but an embed_tokens graph was given");
                }
                case "inputs_embeds", "per_layer_inputs" -> {
                    if (embed == null) throw new ModelException(decoderGraph + " takes " + name + ", which needs an embed_tokens graph");
                }
                default -> throw new ModelException("graph input '" + name + "' of " + decoderGraph + " is one the engine cannot feed");
            }
        }
        if (!names.contains("attention_mask")) throw new ModelException("the decoder graph has no attention_mask input");
    }

    int vocab() {
        return vocab;
    }

    Path decoderGraph() {
        return decoderGraph;
    }

    ModelConfig config() {
        return config;
    }

    List<KvSlot> kv() {
        return kv;
    }

    LogitPositions logitPositions() {
        return logitPositions;
    }

    OrtEnvironment env() {
        return env;
    }

    long sessionNanos() {
        return sessionNanos.get();
    }

    void cancelWhen(BooleanSupplier condition) {
        this.cancelled = condition;
    }

    /** An empty cache for {@code rows} rows: past tensors [rows, kvHeads, 0, headDim]. */
    KvCache newCache(int rows) throws OrtException {
        return new KvCache(env, kv, rows);
    }

    /**
     * How many of a step's last positions the graph must return logits for, so that every row's last
     * real token is among them.
     */
    int keptPositions(int length, int[] last) {
        return switch (logitPositions) {
            case EACH_ROWS_LAST -> 1;
            case LAST_N -> length - Arrays.stream(last).min().orElse(length - 1);
            case ALL -> length;
        };
    }

    /**
     * Runs one step: leaves each row's logits at its last real token in {@code logitsOut} [rows, vocab]
     * and moves the cache forward to {@code step.width()} positions (in place when it gives its present
     * tensors: they are bound as outputs).
     *
     * @throws GenerationCancelledException when the run is stopping
     */
    void run(KvState cache, Step step, float[] logitsOut) throws OrtException {
        if (cancelled.getAsBoolean()) throw new GenerationCancelledException();
        int rows = step.rows();
        int length = step.length();
        List<OnnxTensor> owned = new ArrayList<>();
        OrtSession.Result embedded = null;
        OrtSession.Result result = null;
        try {
            Map<String, OnnxTensorLike> inputs = new HashMap<>(cache.past());
            // Inputs are views of direct buffers kept between steps, so ONNX Runtime reads them in place.
            LongBuffer idsView = idsBuffer.view((long) rows * length * Long.BYTES).asLongBuffer().put(step.ids(), 0, rows * length).flip();
            OnnxTensor idsTensor = track(owned, OnnxTensor.createTensor(env, idsView, new long[] {rows, length}));
            if (embed != null) {
                embedded = timedRun(embed, Map.of("input_ids", idsTensor), null);
                OnnxTensor embeds = (OnnxTensor) embedded.get("inputs_embeds").orElseThrow(
                        () -> new ModelException("embed_tokens did not return inputs_embeds"));
                inputs.put("inputs_embeds", step.images() == null ? embeds : track(owned, withImages(embeds, step.images())));
                if (decoderInputs.contains("per_layer_inputs")) {
                    inputs.put("per_layer_inputs", (OnnxTensor) embedded.get("per_layer_inputs").orElseThrow(
                            () -> new ModelException("embed_tokens did not return per_layer_inputs")));
                }
            } else {
                inputs.put("input_ids", idsTensor);
            }
            LongBuffer maskView = maskBuffer.view((long) rows * step.width() * Long.BYTES).asLongBuffer()
                    .put(step.mask(), 0, rows * step.width()).flip();
            inputs.put("attention_mask", track(owned, OnnxTensor.createTensor(env, maskView, new long[] {rows, step.width()})));
            if (decoderInputs.contains("position_ids")) {
                LongBuffer positionsView = positionsBuffer.view((long) rows * length * Long.BYTES).asLongBuffer()
                        .put(step.positions(), 0, rows * length).flip();
                inputs.put("position_ids", track(owned, OnnxTensor.createTensor(env, positionsView, new long[] {rows, length})));
            }
            int keep = keptPositions(length, step.last());
            if (decoderInputs.contains("num_logits_to_keep")) {
                inputs.put("num_logits_to_keep", track(owned, OnnxTensor.createTensor(env, (long) keep)));
            }
            if (decoderInputs.contains("use_cache_branch")) {
                inputs.put("use_cache_branch", track(owned, OnnxTensor.createTensor(env, new boolean[] {cache.length() > 0})));
            }

            // Logits land in a direct buffer we own: [rows, keep, vocab], read without another copy.
            int bytesPerElement = logitsType == OnnxJavaType.FLOAT ? 4 : 2;
            ByteBuffer logitsBytes = logitsBuffer.view((long) rows * keep * vocab * bytesPerElement);
            OnnxTensor logitsTensor = track(owned, OnnxTensor.createTensor(env, logitsBytes, new long[] {rows, keep, vocab}, logitsType));

            Map<String, OnnxTensor> pinned = new HashMap<>(cache.present());
            pinned.put("logits", logitsTensor);
            result = timedRun(decoder, inputs, pinned);
            readRowLogits(logitsBytes, step, keep, logitsOut);
            cache.advance(result, step.width());
            result = null; // the cache owns it now
        } finally {
            if (result != null) result.close();
            if (embedded != null) embedded.close();
            owned.forEach(OnnxTensor::close);
        }
    }

    /** Copies each row's logits at its last real token: [rows, keep, vocab] -> [rows, vocab]. */
    private void readRowLogits(ByteBuffer bytes, Step step, int keep, float[] out) {
        for (int b = 0; b < step.rows(); b++) {
            int position = switch (logitPositions) {
                case EACH_ROWS_LAST -> 0;
                case LAST_N -> step.last()[b] - (step.length() - keep);
                case ALL -> step.last()[b];
            };
            int base = (b * keep + position) * vocab;
            if (logitsType == OnnxJavaType.FLOAT) {
                bytes.asFloatBuffer().get(base, out, b * vocab, vocab);
            } else {
                ShortBuffer halves = bytes.asShortBuffer();
                for (int i = 0; i < vocab; i++) out[b * vocab + i] = Half.toFloat(halves.get(base + i));
            }
        }
    }

    /**
     * inputs_embeds [rows, length, hidden] with the rows of image tokens replaced by the vision encoder's
     * features; per_layer_inputs stay as embed_tokens made them.
     */
    private OnnxTensor withImages(OnnxTensor embeds, ImageRows images) throws OrtException {
        if (embeds.getInfo().type != OnnxJavaType.FLOAT) {
            throw new ModelException("images need float32 embeddings; this graph's are " + embeds.getInfo().type + " (use --dtype fp32 or q4)");
        }
        long[] shape = embeds.getInfo().getShape();
        int hidden = (int) shape[2];
        FloatBuffer all = embeds.getFloatBuffer(); // a copy
        for (int i = 0; i < images.targets().length; i++) {
            ImageFeatures f = images.sources()[i];
            if (f.width() != hidden) throw new ModelException("image features of width " + f.width() + " for embeddings of " + hidden);
            all.put(images.targets()[i] * hidden, f.rows(), images.sourceRows()[i] * hidden, hidden);
        }
        return OnnxTensor.createTensor(env, all.rewind(), shape);
    }

    /** Runs a session, adding its time to the engine's total; {@code pinned} outputs land in tensors the caller made. */
    OrtSession.Result timedRun(OrtSession session, Map<String, ? extends OnnxTensorLike> inputs,
                               Map<String, OnnxTensor> pinned) throws OrtException {
        long t = System.nanoTime();
        try {
            if (pinned == null) return session.run(inputs);
            Set<String> requested = presentNames;
            if (pinned.size() > 1) {
                requested = new LinkedHashSet<>(presentNames);
                requested.removeAll(pinned.keySet());
            }
            return session.run(inputs, requested, pinned);
        } finally {
            sessionNanos.addAndGet(System.nanoTime() - t);
        }
    }

    private static OnnxTensor track(List<OnnxTensor> owned, OnnxTensor t) {
        owned.add(t);
        return t;
    }

    /** Graph inputs and outputs by name ({@code embed_tokens in input_ids} -> type and shape), KV pairs left out. */
    Map<String, String> signature() throws OrtException {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        if (embed != null) describe(m, "embed_tokens", embed);
        describe(m, "decoder", decoder);
        return m;
    }

    private static void describe(Map<String, String> m, String graph, OrtSession s) throws OrtException {
        for (var e : s.getInputInfo().entrySet()) {
            if (PAST.matcher(e.getKey()).matches()) continue;
            TensorInfo t = (TensorInfo) e.getValue().getInfo();
            m.put(graph + " in  " + e.getKey(), t.type + " " + Arrays.toString(t.getShape()));
        }
        for (var e : s.getOutputInfo().entrySet()) {
            if (e.getKey().startsWith("present.")) continue;
            TensorInfo t = (TensorInfo) e.getValue().getInfo();
            m.put(graph + " out " + e.getKey(), t.type + " " + Arrays.toString(t.getShape()));
        }
    }

    @Override
    public void close() {
        List<AutoCloseable> parts = new ArrayList<>(List.of(decoder));
        if (embed != null) parts.add(0, embed);
        parts.addAll(weights);
        Closing.all(parts.toArray(AutoCloseable[]::new));
    }
}
