package dev.nightshift.pipeline.llm;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxTensorLike;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.ShortBuffer;
import dev.nightshift.pipeline.llm.vision.PatchedImage;
import dev.nightshift.pipeline.llm.vision.RgbImage;
import dev.nightshift.pipeline.llm.vision.VisionConfig;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs an onnx-community Gemma 3 / Gemma 4 export with ONNX Runtime: one graph ({@code model.onnx}), or
 * {@code embed_tokens} + {@code decoder_model_merged}. Everything about the graphs (input names, KV
 * pairs, their heads and widths, element types) is read from the session metadata.
 *
 * <p>A generation call is one batch: prompts are left-padded to a common length, prefilled (in slices
 * when the logits would be too large to hold), then decoded one token per step for all rows at once.
 * A row that finished emits the pad id until every row is done, as transformers does.
 *
 * <p>Not thread-safe: one generation at a time. ONNX Runtime already spreads each step over the cores.
 */
public final class GemmaEngine implements AutoCloseable {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(GemmaEngine.class);
    private static final Pattern PAST = Pattern.compile("past_key_values\\.(\\d+)\\.(key|value)");
    /** Most logits floats one prefill slice may produce: [batch, slice, vocab] stays under 128 MiB. */
    private static final long LOGITS_BUDGET = 32L << 20;

    private final OrtEnvironment env;
    private final ModelFolder folder;
    private final OrtSession embed;
    private final OrtSession decoder;
    private final GemmaTokenizer tokenizer;
    private final ChatTemplate template;
    private final List<KvSlot> kv;
    private final Set<String> presentNames;
    private final Set<String> decoderInputs;
    private final OnnxJavaType logitsType;
    private final int vocab;
    private final AtomicLong sessionNanos = new AtomicLong();
    /** Gemma 4's vision encoder and what goes with it; null for a model that cannot see. */
    private OrtSession vision;
    private VisionConfig visionConfig;
    // Reused between steps and calls: allocating direct memory per step cost a third of decode time.
    private final DirectBuffer idsBuffer = new DirectBuffer();
    private final DirectBuffer positionsBuffer = new DirectBuffer();
    private final DirectBuffer maskBuffer = new DirectBuffer();
    private final DirectBuffer logitsBuffer = new DirectBuffer();

    private GemmaEngine(OrtEnvironment env, ModelFolder folder, OrtSession embed, OrtSession decoder,
                        GemmaTokenizer tokenizer, ChatTemplate template) throws OrtException {
        this.env = env;
        this.folder = folder;
        this.embed = embed;
        this.decoder = decoder;
        this.tokenizer = tokenizer;
        this.template = template;
        Map<String, NodeInfo> inputs = decoder.getInputInfo();
        this.decoderInputs = inputs.keySet();
        this.kv = kvSlots(inputs, decoder.getOutputInfo().keySet());
        this.presentNames = kv.stream().map(KvSlot::presentName).collect(java.util.stream.Collectors.toCollection(java.util.LinkedHashSet::new));
        checkInputs(inputs.keySet());
        NodeInfo logits = decoder.getOutputInfo().get("logits");
        if (logits == null) throw new ModelException(folder.decoderGraph() + " has no 'logits' output");
        TensorInfo logitsInfo = (TensorInfo) logits.getInfo();
        long[] shape = logitsInfo.getShape();
        this.vocab = shape[shape.length - 1] > 0 ? (int) shape[shape.length - 1] : folder.config().vocabSize();
        this.logitsType = logitsInfo.type;
        if (logitsType != OnnxJavaType.FLOAT && logitsType != OnnxJavaType.FLOAT16) {
            throw new ModelException("logits of type " + logitsType + " are not supported");
        }
    }

    /**
     * Loads a model folder.
     *
     * @param dtype   the precision, or null for the default (see {@link Dtype#DEFAULT_ORDER})
     * @param threads ONNX Runtime intra-op threads; 0 for one per core
     */
    public static GemmaEngine load(Path path, Dtype dtype, int threads) {
        return load(path, dtype, threads, null);
    }

    /**
     * As {@link #load(Path, Dtype, int)}, writing ONNX Runtime's per-operator profile (Chrome trace JSON)
     * to files starting with {@code profilePrefix} when it is not null.
     */
    public static GemmaEngine load(Path path, Dtype dtype, int threads, Path profilePrefix) {
        return load(path, dtype, threads, profilePrefix, Kernels.AS_SHIPPED);
    }

    /**
     * As {@link #load(Path, Dtype, int, Path)}, with the kernels to run a 4-bit graph with: {@link Kernels#INT8}
     * sets {@code accuracy_level} on its MatMulNBits nodes in memory (the file is not changed).
     */
    public static GemmaEngine load(Path path, Dtype dtype, int threads, Path profilePrefix, Kernels kernels) {
        ModelFolder folder = ModelFolder.resolve(path, dtype);
        ChatTemplate template = ChatTemplate.load(path);
        OrtEnvironment env = OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR, "nightshift");
        OrtSession embed = null;
        OrtSession decoder = null;
        GemmaTokenizer tokenizer = null;
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            options.setIntraOpNumThreads(threads > 0 ? threads : Runtime.getRuntime().availableProcessors());
            options.setInterOpNumThreads(1);
            if (profilePrefix != null) options.enableProfiling(profilePrefix.toString());
            if (folder.embedGraph() != null) embed = openSession(env, folder.embedGraph(), options);
            DecoderGraph graph = openDecoder(env, folder, options, kernels);
            decoder = graph.session();
            tokenizer = GemmaTokenizer.load(folder.tokenizer(), "hf:" + folder.identity().substring(0, 16));
            GemmaEngine engine = new GemmaEngine(env, folder, embed, decoder, tokenizer, template);
            engine.int8Nodes = graph.int8Nodes();
            engine.lastPositionOnly = graph.lastPositionOnly() || engine.decoderInputs.contains("num_logits_to_keep");
            if (folder.visionGraph() != null) {
                engine.visionConfig = VisionConfig.load(path);
                engine.vision = openSession(env, folder.visionGraph(), options);
            }
            return engine;
        } catch (OrtException | RuntimeException e) {
            if (embed != null) closeQuietly(embed);
            if (decoder != null) closeQuietly(decoder);
            if (tokenizer != null) tokenizer.close();
            if (e instanceof ModelException m) throw m;
            throw new ModelException("cannot load " + path + ": " + e.getMessage(), e);
        }
    }

    private static OrtSession openSession(OrtEnvironment env, Path graph, OrtSession.SessionOptions options) {
        try {
            // From the path, so ONNX Runtime finds external data shards beside the graph.
            return env.createSession(graph.toString(), options);
        } catch (OrtException e) {
            throw new ModelException("cannot load the graph " + graph + " (truncated or not an ONNX file?): " + e.getMessage(), e);
        }
    }

    /** Graphs whose bytes are not read into memory to patch (a 2 GB protobuf is the format's own limit). */
    private static final long MAX_PATCHED_BYTES = 1L << 30;

    /** The decoder session, and what was changed in its graph on the way in. */
    private record DecoderGraph(OrtSession session, int int8Nodes, boolean lastPositionOnly) {
    }

    /**
     * The decoder graph, patched in memory: logits for the last position only ({@link LastPositionPatch},
     * always: it does not change the numbers) and, for a 4-bit graph with {@link Kernels#INT8}, int8
     * MatMulNBits kernels ({@link AccuracyLevelPatch}). External data shards stay where they are: ONNX
     * Runtime is told the folder to find them in, since a graph loaded from bytes has no path.
     */
    private static DecoderGraph openDecoder(OrtEnvironment env, ModelFolder folder, OrtSession.SessionOptions options, Kernels kernels) {
        Path graph = folder.decoderGraph();
        try {
            if (java.nio.file.Files.size(graph) > MAX_PATCHED_BYTES) {
                log.info("{} is over 1 GiB: run as shipped", graph);
                return new DecoderGraph(openSession(env, graph, options), 0, false);
            }
            byte[] bytes = java.nio.file.Files.readAllBytes(graph);
            int int8Nodes = 0;
            boolean fourBit = folder.dtype() == Dtype.Q4 || folder.dtype() == Dtype.Q4F16;
            if (fourBit && kernels == Kernels.INT8) {
                AccuracyLevelPatch.Result result = AccuracyLevelPatch.apply(bytes, AccuracyLevelPatch.INT8);
                bytes = result.model();
                int8Nodes = result.patchedNodes();
            }
            LastPositionPatch.Result last = LastPositionPatch.apply(bytes);
            if (int8Nodes == 0 && !last.applied()) return new DecoderGraph(openSession(env, graph, options), 0, false);
            options.addConfigEntry("session.model_external_initializers_file_folder_path", graph.toAbsolutePath().getParent().toString());
            return new DecoderGraph(env.createSession(last.model(), options), int8Nodes, last.applied());
        } catch (java.io.IOException | OrtException | ModelException e) {
            throw new ModelException("cannot load the graph " + graph + " (truncated or not an ONNX file?): " + e.getMessage(), e);
        }
    }

    /** True when the graph computes logits for the last position only (prefill need not be sliced). */
    private boolean lastPositionOnly;

    /** MatMulNBits nodes running with int8 activations (0: the graph runs as shipped). */
    private int int8Nodes;

    public int int8Nodes() {
        return int8Nodes;
    }

    private static void closeQuietly(OrtSession s) {
        try {
            s.close();
        } catch (OrtException ignored) {
            // already failing
        }
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
                    if (embed == null) {
                        throw new ModelException(folder.decoderGraph() + " takes " + name + ", which needs an embed_tokens graph");
                    }
                }
                default -> throw new ModelException("graph input '" + name + "' of " + folder.decoderGraph()
                        + " is one the engine cannot feed");
            }
        }
        if (!names.contains("attention_mask")) throw new ModelException("the decoder graph has no attention_mask input");
    }

    public ModelFolder folder() {
        return folder;
    }

    public ModelConfig config() {
        return folder.config();
    }

    public GemmaTokenizer tokenizer() {
        return tokenizer;
    }

    public ChatTemplate template() {
        return template;
    }

    public int vocabSize() {
        return vocab;
    }

    /**
     * Bytes of keys and values one row holds per token of context, summed over the graph's KV inputs
     * ([batch, kv_heads, length, head_dim] each, in their element type): what a batch's cache costs.
     */
    public long kvBytesPerToken() {
        long bytes = 0;
        for (KvSlot slot : kv) bytes += slot.kvHeads() * slot.headDim() * slot.bytesPerElement();
        return bytes;
    }

    /** KV pairs as (layer, heads, head_dim) for the model summary. */
    public List<String> kvSummary() {
        List<String> s = new ArrayList<>();
        for (int i = 0; i < kv.size(); i += 2) {
            KvSlot k = kv.get(i);
            s.add(k.pastName().replace(".key", "") + " [" + k.kvHeads() + " heads x " + k.headDim() + "] " + k.type());
        }
        return s;
    }

    /** Graph inputs and outputs, for the model summary. */
    public Map<String, String> graphSignature() {
        Map<String, String> m = new LinkedHashMap<>();
        try {
            if (embed != null) describe(m, "embed_tokens", embed);
            describe(m, "decoder", decoder);
        } catch (OrtException e) {
            throw new ModelException("cannot read graph metadata: " + e.getMessage(), e);
        }
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

    /** Nanoseconds spent inside {@code OrtSession.run} since the engine was loaded (for overhead measurements). */
    public long sessionNanos() {
        return sessionNanos.get();
    }

    public List<GenerationResult> generate(List<GenerationRequest> requests) {
        return generate(requests, TokenListener.NONE);
    }

    /**
     * Generates for a batch of prompts at once.
     *
     * @throws ContextOverflowException if any prompt plus its new tokens exceeds the context
     */
    public List<GenerationResult> generate(List<GenerationRequest> requests, TokenListener listener) {
        if (requests.isEmpty()) return List.of();
        for (GenerationRequest r : requests) checkRequest(r);
        try {
            return run(requests, listener);
        } catch (OrtException e) {
            if (!mixedLengths(requests)) throw new ModelException("ONNX Runtime failed: " + e.getMessage(), e);
            // Some fused attention kernels derive each row's length from the mask and reject left padding:
            // fall back to groups of equal length, which need no padding.
            log.warn("the graph rejected a left-padded batch ({}); generating in groups of equal prompt length", e.getMessage());
            return generateInEqualLengthGroups(requests, listener);
        }
    }

    private static boolean mixedLengths(List<GenerationRequest> requests) {
        return requests.stream().mapToInt(r -> r.promptIds().length).distinct().count() > 1;
    }

    private List<GenerationResult> generateInEqualLengthGroups(List<GenerationRequest> requests, TokenListener listener) {
        Map<Integer, List<Integer>> rowsByLength = new TreeMap<>();
        for (int i = 0; i < requests.size(); i++) {
            rowsByLength.computeIfAbsent(requests.get(i).promptIds().length, k -> new ArrayList<>()).add(i);
        }
        GenerationResult[] results = new GenerationResult[requests.size()];
        for (List<Integer> rows : rowsByLength.values()) {
            List<GenerationRequest> group = rows.stream().map(requests::get).toList();
            List<GenerationResult> groupResults;
            try {
                // Rows keep their index in the caller's batch for the streaming listener.
                groupResults = run(group, (row, token) -> listener.onToken(rows.get(row), token));
            } catch (OrtException e) {
                throw new ModelException("ONNX Runtime failed: " + e.getMessage(), e);
            }
            for (int i = 0; i < rows.size(); i++) results[rows.get(i)] = groupResults.get(i);
        }
        return List.of(results);
    }

    private void checkRequest(GenerationRequest r) {
        int context = folder.config().contextLength();
        if (r.promptIds().length + r.maxNewTokens() > context) {
            throw new ContextOverflowException(r.promptIds().length, r.maxNewTokens(), context);
        }
        int imageTokens = 0;
        for (long id : r.promptIds()) {
            if (id < 0 || id >= vocab) {
                throw new ModelException("token id " + id + " is outside the graph's vocabulary of " + vocab
                        + ": tokenizer.json does not match the model");
            }
            if (visionConfig != null && id == visionConfig.imageTokenId()) imageTokens++;
        }
        if (r.images() != null) {
            if (visionConfig == null) throw new ModelException(folder.folder() + " has no vision encoder: it cannot take images");
            if (r.images().tokens() != imageTokens) {
                throw new IllegalArgumentException("the prompt has " + imageTokens + " image tokens for " + r.images().tokens() + " feature rows");
            }
        }
    }

    /** Checked before every forward pass; true makes the generation in progress throw {@link GenerationCancelledException}. */
    private volatile BooleanSupplier cancelled = () -> false;

    /**
     * Generations in progress stop at their next step once {@code condition} holds (a run being
     * stopped), throwing {@link GenerationCancelledException}; their partial output is dropped.
     */
    public void cancelWhen(BooleanSupplier condition) {
        this.cancelled = condition;
    }

    private List<GenerationResult> run(List<GenerationRequest> requests, TokenListener listener) throws OrtException {
        final int batch = requests.size();
        final int promptLength = requests.stream().mapToInt(r -> r.promptIds().length).max().orElseThrow();
        final int maxNew = requests.stream().mapToInt(GenerationRequest::maxNewTokens).max().orElseThrow();
        final int pad = folder.config().padId();
        final Set<Integer> eos = folder.config().eosIds();

        // Left padding: mask [batch, promptLength + maxNew], the decoding steps' slots set as they come.
        int maskStride = promptLength + maxNew;
        long[] mask = new long[batch * maskStride];
        long[] nextPosition = new long[batch];
        List<long[]> prompts = new ArrayList<>(batch);
        for (int b = 0; b < batch; b++) {
            long[] prompt = requests.get(b).promptIds();
            prompts.add(prompt);
            java.util.Arrays.fill(mask, b * maskStride + promptLength - prompt.length, b * maskStride + promptLength, 1);
            nextPosition[b] = prompt.length;
        }

        Sampler[] samplers = requests.stream().map(r -> Sampler.of(r.sampling())).toArray(Sampler[]::new);
        int[][] generated = new int[batch][maxNew];
        int[] count = new int[batch];
        FinishReason[] reasons = new FinishReason[batch];
        float[] logits = new float[batch * vocab];

        long[] share = new long[batch]; // each row's own part of the batch's time
        long started = System.nanoTime();
        long prefillNanos;
        try (KvCache cache = new KvCache(env, kv, batch)) {
            prefill(cache, requests, mask, maskStride, logits);
            prefillNanos = System.nanoTime() - started;
            long promptTokens = requests.stream().mapToLong(r -> r.promptIds().length).sum();
            for (int b = 0; b < batch; b++) share[b] = prefillNanos * requests.get(b).promptIds().length / promptTokens;

            long total = promptLength;
            // live[r] is the request in row r of the running batch; finished rows are dropped from it.
            int[] live = new int[batch];
            for (int b = 0; b < batch; b++) live[b] = b;
            for (int stepIndex = 0; ; stepIndex++) {
                int rows = live.length;
                long[] next = new long[rows];
                int alive = 0;
                for (int r = 0; r < rows; r++) {
                    int b = live[r];
                    if (reasons[b] != null) {
                        next[r] = pad;
                        continue;
                    }
                    int token = samplers[b].sample(logits, r * vocab, vocab);
                    generated[b][count[b]++] = token;
                    next[r] = token;
                    listener.onToken(b, token);
                    if (requests.get(b).stopAtEos() && eos.contains(token)) {
                        reasons[b] = FinishReason.STOP;
                    } else if (count[b] == requests.get(b).maxNewTokens()) {
                        reasons[b] = FinishReason.LENGTH;
                    }
                    if (reasons[b] == null) alive++;
                }
                if (alive == 0) break;
                // Rows that have finished would still cost a full row of compute per step (they are fed
                // pad, as transformers does). Once a quarter of the batch is idle, drop them: the cache
                // keeps the live rows' keys and values, and the mask and positions follow.
                if ((rows - alive) * 4 >= rows) {
                    int[] keep = new int[alive];
                    long[] keptNext = new long[alive];
                    long[] keptMask = new long[alive * maskStride];
                    int k = 0;
                    for (int r = 0; r < rows; r++) {
                        if (reasons[live[r]] != null) continue;
                        keep[k] = r;
                        keptNext[k] = next[r];
                        System.arraycopy(mask, r * maskStride, keptMask, k * maskStride, maskStride);
                        k++;
                    }
                    cache.keepRows(env, keep);
                    int[] keptLive = new int[alive];
                    for (int i = 0; i < alive; i++) keptLive[i] = live[keep[i]];
                    live = keptLive;
                    next = keptNext;
                    mask = keptMask;
                    rows = alive;
                }
                // Every row gets a mask 1 for the new slot (finished rows feed pad, as transformers does).
                for (int r = 0; r < rows; r++) mask[r * maskStride + (int) total] = 1;
                long[] stepPositions = new long[rows];
                for (int r = 0; r < rows; r++) stepPositions[r] = nextPosition[live[r]]++;
                total++;
                long stepStarted = System.nanoTime();
                step(cache, next, stepPositions, mask, maskStride, (int) total, rows, 1, logits);
                long stepNanos = System.nanoTime() - stepStarted;
                for (int r = 0; r < rows; r++) share[live[r]] += stepNanos / rows;
            }
        }
        long decodeNanos = System.nanoTime() - started - prefillNanos;

        List<GenerationResult> results = new ArrayList<>(batch);
        for (int b = 0; b < batch; b++) {
            int[] tokens = Arrays.copyOf(generated[b], count[b]);
            long[] asLong = Arrays.stream(tokens).asLongStream().toArray();
            results.add(new GenerationResult(tokens, tokenizer.decode(asLong), reasons[b],
                    requests.get(b).promptIds().length, prefillNanos, decodeNanos, share[b]));
        }
        return results;
    }

    /**
     * Where a continuous generation takes its newcomers from and hands its finished rows to. Called on
     * the generating thread, between decoding steps.
     */
    public interface Feed {
        /** Requests to join the running batch now, given its rows and its length in positions; empty for none. */
        List<GenerationRequest> join(int rows, long length);

        /** A request is finished (its row has left the batch). */
        void done(GenerationRequest request, GenerationResult result);

        /** A request could not join (its prompt over the context, a token outside the vocabulary). */
        void failed(GenerationRequest request, RuntimeException error);

        /** A decoding step ran with this many rows (for statistics). */
        default void stepped(int rows) {
        }
    }

    /** One row of a continuous batch. */
    private static final class Row {
        final GenerationRequest request;
        final Sampler sampler;
        final int[] generated;
        int count;
        long nextPosition;
        /** Leading positions of the batch cache that are not this row's: masked. */
        long padding;
        long prefillNanos;
        long decodeNanos;
        long share;
        FinishReason reason;

        Row(GenerationRequest request) {
            this.request = request;
            this.sampler = Sampler.of(request.sampling());
            this.generated = new int[request.maxNewTokens()];
            this.nextPosition = request.promptIds().length;
        }

        /** Takes a sampled token; true when the row is finished with it. */
        boolean add(int token, Set<Integer> eos) {
            generated[count++] = token;
            if (request.stopAtEos() && eos.contains(token)) reason = FinishReason.STOP;
            else if (count == request.maxNewTokens()) reason = FinishReason.LENGTH;
            return reason != null;
        }
    }

    /**
     * Continuous batching: each request is prefilled alone and joins the running batch between decoding
     * steps (its keys and values joined to the batch cache, the shorter side left-padded and masked),
     * and a row leaves the batch as soon as it finishes, its result handed to the feed at once. So a
     * batch never waits for its slowest row, and a request never waits for a batch to end. Returns when
     * no row is running and the feed has nothing to join.
     *
     * <p>Greedy tokens are the same as generating each request alone: every row keeps its own positions,
     * padding is masked, and rows do not otherwise meet. Each row is charged its own prefill and an equal
     * share of every step it ran in.
     *
     * @throws GenerationCancelledException when the run is stopping; rows in flight are not handed back
     */
    public void generateContinuously(Feed feed) {
        final Set<Integer> eos = folder.config().eosIds();
        List<Row> rows = new ArrayList<>();
        KvCache cache = null;
        long total = 0;
        float[] logits = new float[vocab];
        long prefillTime = 0;
        long joinTime = 0;
        long keepTime = 0;
        long stepTime = 0;
        try {
            while (true) {
                // Newcomers are prefilled together (left-padded), then joined to the batch in one copy.
                List<Row> newcomers = new ArrayList<>();
                for (GenerationRequest r : feed.join(rows.size(), total)) {
                    try {
                        checkRequest(r);
                        newcomers.add(new Row(r));
                    } catch (RuntimeException e) {
                        feed.failed(r, e);
                    }
                }
                if (!newcomers.isEmpty()) {
                    int k = newcomers.size();
                    if (logits.length < k * vocab) logits = new float[k * vocab];
                    KvCache own = prefillTogether(newcomers, logits);
                    prefillTime += lastPrefillNanos;
                    long promptTokens = newcomers.stream().mapToLong(x -> x.request.promptIds().length).sum();
                    long length = own.length();
                    List<Row> joining = new ArrayList<>();
                    int[] keepNew = new int[k];
                    for (int i = 0; i < k; i++) {
                        Row row = newcomers.get(i);
                        row.prefillNanos = lastPrefillNanos * row.request.promptIds().length / promptTokens;
                        row.share = row.prefillNanos;
                        if (row.add(row.sampler.sample(logits, i * vocab, vocab), eos)) {
                            feed.done(row.request, result(row));
                        } else {
                            keepNew[joining.size()] = i;
                            joining.add(row);
                        }
                    }
                    if (joining.isEmpty()) {
                        own.close();
                    } else {
                        if (joining.size() < k) own.keepRows(env, Arrays.copyOf(keepNew, joining.size()));
                        long joinStarted = System.nanoTime();
                        if (cache == null) {
                            cache = own;
                            total = length;
                        } else {
                            long joined = Math.max(total, length);
                            for (Row existing : rows) existing.padding += joined - total;
                            for (Row row : joining) row.padding += joined - length;
                            cache.join(env, own);
                            total = joined;
                        }
                        joinTime += System.nanoTime() - joinStarted;
                        rows.addAll(joining);
                    }
                }
                if (rows.isEmpty()) {
                    log.debug("continuous batch drained: prefill {} ms, joins {} ms, leaves {} ms, steps {} ms",
                            prefillTime / 1_000_000, joinTime / 1_000_000, keepTime / 1_000_000, stepTime / 1_000_000);
                    return;
                }

                // One decoding step: every row feeds its last token at its own next position.
                int n = rows.size();
                if (logits.length < n * vocab) logits = new float[n * vocab];
                long[] ids = new long[n];
                long[] positions = new long[n];
                long[] mask = new long[(int) (n * (total + 1))];
                for (int i = 0; i < n; i++) {
                    Row row = rows.get(i);
                    ids[i] = row.generated[row.count - 1];
                    positions[i] = row.nextPosition++;
                    for (long j = row.padding; j <= total; j++) mask[(int) (i * (total + 1) + j)] = 1;
                }
                total++;
                long started = System.nanoTime();
                step(cache, ids, positions, mask, (int) total, (int) total, n, 1, logits);
                long stepNanos = System.nanoTime() - started;
                stepTime += stepNanos;
                if (log.isTraceEnabled()) log.trace("step: {} rows, length {}, {} ms", n, total, stepNanos / 1_000_000);
                feed.stepped(n);

                List<Row> kept = new ArrayList<>(n);
                int[] keep = new int[n];
                for (int i = 0; i < n; i++) {
                    Row row = rows.get(i);
                    row.decodeNanos += stepNanos;
                    row.share += stepNanos / n;
                    if (row.add(row.sampler.sample(logits, i * vocab, vocab), eos)) {
                        feed.done(row.request, result(row));
                    } else {
                        keep[kept.size()] = i;
                        kept.add(row);
                    }
                }
                if (kept.size() < n) {
                    if (kept.isEmpty()) {
                        cache.close();
                        cache = null;
                        total = 0;
                    } else {
                        long keepStarted = System.nanoTime();
                        // Columns that are padding for every remaining row go too: without this the batch's
                        // length only grew (late rows are padded to it), and each step's attention with it.
                        long drop = kept.stream().mapToLong(r -> r.padding).min().orElseThrow();
                        cache.keepRows(env, java.util.Arrays.copyOf(keep, kept.size()), (int) drop);
                        for (Row row : kept) row.padding -= drop;
                        total -= drop;
                        keepTime += System.nanoTime() - keepStarted;
                    }
                    rows = kept;
                }
            }
        } catch (OrtException e) {
            throw new ModelException("ONNX Runtime failed: " + e.getMessage(), e);
        } finally {
            if (cache != null) cache.close();
        }
    }

    /** Nanoseconds of the latest {@link #prefillTogether}. */
    private long lastPrefillNanos;

    /**
     * Prefills the rows' prompts as one left-padded batch into a cache of their own, setting each row's
     * padding; leaves each row's last-position logits in {@code logits} [rows, vocab].
     */
    private KvCache prefillTogether(List<Row> rows, float[] logits) throws OrtException {
        long started = System.nanoTime();
        int batch = rows.size();
        int length = rows.stream().mapToInt(r -> r.request.promptIds().length).max().orElseThrow();
        long[] mask = new long[batch * length];
        List<long[]> prompts = new ArrayList<>(batch);
        for (int b = 0; b < batch; b++) {
            long[] prompt = rows.get(b).request.promptIds();
            prompts.add(prompt);
            rows.get(b).padding = length - prompt.length;
            java.util.Arrays.fill(mask, b * length + length - prompt.length, (b + 1) * length, 1);
        }
        KvCache own = new KvCache(env, kv, batch);
        try {
            prefill(own, rows.stream().map(r -> r.request).toList(), mask, length, logits);
        } catch (OrtException | RuntimeException e) {
            own.close();
            throw e;
        }
        lastPrefillNanos = System.nanoTime() - started;
        return own;
    }

    /**
     * Runs left-padded prompts through the graph into {@code cache}: ids and positions [batch, length]
     * (positions = cumsum(mask) - 1, padded slots 1), in slices small enough that [batch, slice, vocab]
     * logits fit the budget. {@code mask} (row stride {@code maskStride}) marks each row's real prompt
     * positions; the last position's logits of each row are left in {@code logits} [batch, vocab].
     */
    private void prefill(KvCache cache, List<GenerationRequest> requests, long[] mask, int maskStride, float[] logits) throws OrtException {
        List<long[]> prompts = requests.stream().map(GenerationRequest::promptIds).toList();
        int batch = prompts.size();
        // Each row's next image-feature row: image tokens take the encoder's rows in order, across slices.
        int[] nextFeature = new int[batch];
        int length = prompts.stream().mapToInt(p -> p.length).max().orElseThrow();
        int pad = folder.config().padId();
        int slice = lastPositionOnly ? length
                : (int) Math.max(1, Math.min(length, LOGITS_BUDGET / ((long) batch * vocab)));
        for (int start = 0; start < length; start += slice) {
            int size = Math.min(slice, length - start);
            long[] ids = new long[batch * size];
            long[] positions = new long[batch * size];
            for (int b = 0; b < batch; b++) {
                long[] prompt = prompts.get(b);
                int offset = length - prompt.length;
                for (int t = start; t < start + size; t++) {
                    boolean real = t >= offset;
                    ids[b * size + t - start] = real ? prompt[t - offset] : pad;
                    positions[b * size + t - start] = real ? t - offset : 1;
                }
            }
            step(cache, ids, positions, mask, maskStride, start + size, batch, size, logits,
                    imageRows(requests, ids, size, nextFeature));
        }
    }

    /** Where image features go in one prefill slice: flat row b * size + t of inputs_embeds <- a feature row. */
    private record ImageRows(int[] targets, ImageFeatures[] sources, int[] sourceRows) {
    }

    private ImageRows imageRows(List<GenerationRequest> requests, long[] ids, int size, int[] nextFeature) {
        if (visionConfig == null || requests.stream().allMatch(r -> r.images() == null)) return null;
        List<Integer> targets = new ArrayList<>();
        List<ImageFeatures> sources = new ArrayList<>();
        List<Integer> rows = new ArrayList<>();
        for (int b = 0; b < requests.size(); b++) {
            ImageFeatures f = requests.get(b).images();
            if (f == null) continue;
            for (int t = 0; t < size; t++) {
                // Padding is the pad id, never the image token, so only the row's own tokens match.
                if (ids[b * size + t] != visionConfig.imageTokenId()) continue;
                targets.add(b * size + t);
                sources.add(f);
                rows.add(nextFeature[b]++);
            }
        }
        return targets.isEmpty() ? null : new ImageRows(targets.stream().mapToInt(Integer::intValue).toArray(),
                sources.toArray(ImageFeatures[]::new), rows.stream().mapToInt(Integer::intValue).toArray());
    }

    private GenerationResult result(Row row) {
        int[] tokens = Arrays.copyOf(row.generated, row.count);
        long[] asLong = Arrays.stream(tokens).asLongStream().toArray();
        return new GenerationResult(tokens, tokenizer.decode(asLong), row.reason, row.request.promptIds().length,
                row.prefillNanos, row.decodeNanos, row.share);
    }

    /**
     * One forward pass over {@code length} new positions per row: input_ids/positions [batch, length],
     * attention_mask [batch, totalLength]. Leaves the last position's logits of each row in
     * {@code logitsOut} [batch, vocab] and moves the cache forward.
     */
    private void step(KvCache cache, long[] ids, long[] positions, long[] mask, int maskStride, int totalLength,
                      int batch, int length, float[] logitsOut) throws OrtException {
        step(cache, ids, positions, mask, maskStride, totalLength, batch, length, logitsOut, null);
    }

    /** As above; {@code images} (or null) puts image features over the embeddings of image tokens. */
    private void step(KvCache cache, long[] ids, long[] positions, long[] mask, int maskStride, int totalLength,
                      int batch, int length, float[] logitsOut, ImageRows images) throws OrtException {
        if (cancelled.getAsBoolean()) throw new GenerationCancelledException();
        List<OnnxTensor> owned = new ArrayList<>();
        OrtSession.Result embedded = null;
        OrtSession.Result result = null;
        try {
            Map<String, OnnxTensorLike> inputs = new HashMap<>(cache.inputs());
            // Inputs are views of direct buffers the engine keeps, so ONNX Runtime reads them in place.
            LongBuffer idsView = idsBuffer.view((long) batch * length * Long.BYTES).asLongBuffer().put(ids, 0, batch * length).flip();
            OnnxTensor idsTensor = track(owned, OnnxTensor.createTensor(env, idsView, new long[] {batch, length}));
            if (embed != null) {
                embedded = timedRun(embed, Map.of("input_ids", idsTensor), null);
                OnnxTensor embeds = (OnnxTensor) embedded.get("inputs_embeds").orElseThrow(
                        () -> new ModelException("embed_tokens did not return inputs_embeds"));
                inputs.put("inputs_embeds", images == null ? embeds : track(owned, withImages(embeds, images)));
                if (decoderInputs.contains("per_layer_inputs")) {
                    inputs.put("per_layer_inputs", (OnnxTensor) embedded.get("per_layer_inputs").orElseThrow(
                            () -> new ModelException("embed_tokens did not return per_layer_inputs")));
                }
            } else {
                inputs.put("input_ids", idsTensor);
            }
            LongBuffer maskView = maskBuffer.view((long) batch * totalLength * Long.BYTES).asLongBuffer();
            for (int b = 0; b < batch; b++) maskView.put(mask, b * maskStride, totalLength);
            inputs.put("attention_mask", track(owned, OnnxTensor.createTensor(env, maskView.flip(), new long[] {batch, totalLength})));
            if (decoderInputs.contains("position_ids")) {
                LongBuffer positionsView = positionsBuffer.view((long) batch * length * Long.BYTES).asLongBuffer().put(positions, 0, batch * length).flip();
                inputs.put("position_ids", track(owned, OnnxTensor.createTensor(env, positionsView, new long[] {batch, length})));
            }
            if (decoderInputs.contains("num_logits_to_keep")) {
                inputs.put("num_logits_to_keep", track(owned, OnnxTensor.createTensor(env, 1L)));
            }
            if (decoderInputs.contains("use_cache_branch")) {
                inputs.put("use_cache_branch", track(owned, OnnxTensor.createTensor(env, new boolean[] {cache.length() > 0})));
            }

            // Logits land in a direct buffer we own: [batch, keep, vocab], read without another copy.
            int keep = lastPositionOnly ? 1 : length;
            int bytesPerElement = logitsType == OnnxJavaType.FLOAT ? 4 : 2;
            ByteBuffer logitsBytes = logitsBuffer.view((long) batch * keep * vocab * bytesPerElement);
            OnnxTensor logitsTensor = track(owned, OnnxTensor.createTensor(env, logitsBytes, new long[] {batch, keep, vocab}, logitsType));

            result = timedRun(decoder, inputs, Map.of("logits", logitsTensor));
            readLastLogits(logitsBytes, batch, keep, logitsOut);
            cache.advance(result, totalLength);
            result = null; // the cache owns it now
        } finally {
            if (result != null) result.close();
            if (embedded != null) embedded.close();
            owned.forEach(OnnxTensor::close);
        }
    }

    /**
     * inputs_embeds [batch, length, hidden] with the rows of image tokens replaced by the vision encoder's
     * features; per_layer_inputs stay as embed_tokens made them (the contract in pipeline/README.md).
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

    private OrtSession.Result timedRun(OrtSession session, Map<String, ? extends OnnxTensorLike> inputs,
                                       Map<String, OnnxTensor> pinned) throws OrtException {
        long t = System.nanoTime();
        try {
            if (pinned == null) return session.run(inputs);
            return session.run(inputs, presentNames, pinned);
        } finally {
            sessionNanos.addAndGet(System.nanoTime() - t);
        }
    }

    /** Copies the last position of each row, [batch, keep, vocab] -> [batch, vocab]. */
    private void readLastLogits(ByteBuffer bytes, int batch, int keep, float[] out) {
        if (logitsType == OnnxJavaType.FLOAT) {
            FloatBuffer floats = bytes.asFloatBuffer();
            for (int b = 0; b < batch; b++) {
                floats.position((b * keep + keep - 1) * vocab);
                floats.get(out, b * vocab, vocab);
            }
        } else {
            ShortBuffer halves = bytes.asShortBuffer();
            for (int b = 0; b < batch; b++) {
                int base = (b * keep + keep - 1) * vocab;
                for (int i = 0; i < vocab; i++) out[b * vocab + i] = Half.toFloat(halves.get(base + i));
            }
        }
    }

    private static OnnxTensor track(List<OnnxTensor> owned, OnnxTensor t) {
        owned.add(t);
        return t;
    }

    /** The logits [vocab] after the prompt: what the first generated token is chosen from. */
    public float[] promptLogits(long[] promptIds) {
        checkRequest(GenerationRequest.greedy(promptIds, 1));
        int length = promptIds.length;
        long[] mask = new long[length];
        long[] positions = new long[length];
        Arrays.fill(mask, 1);
        for (int t = 0; t < length; t++) positions[t] = t;
        float[] logits = new float[vocab];
        try (KvCache cache = new KvCache(env, kv, 1)) {
            step(cache, promptIds, positions, mask, length, length, 1, length, logits);
        } catch (OrtException e) {
            throw new ModelException("ONNX Runtime failed: " + e.getMessage(), e);
        }
        return logits;
    }

    /** Renders a single user message with the model's chat template and encodes it. */
    /** True when the folder has a vision encoder: prompts may hold images. */
    public boolean seesImages() {
        return vision != null;
    }

    /** The vision settings (token ids, image processor), or null for a model that cannot see. */
    public VisionConfig visionConfig() {
        return visionConfig;
    }

    /** An image prepared as this model's vision encoder takes it. */
    public PatchedImage prepare(RgbImage image) {
        requireVision();
        return PatchedImage.of(image, visionConfig.processor());
    }

    private void requireVision() {
        if (vision == null) throw new ModelException(folder.folder() + " has no vision encoder (onnx/vision_encoder*.onnx): it cannot take images");
    }

    /**
     * Runs the vision encoder on images at once: pixel_values [n, maxPatches, patch*patch*3] and their
     * patch positions [n, maxPatches, 2] -> features [soft tokens of all images, hidden] (padding already
     * dropped by the graph), returned per image.
     */
    public List<ImageFeatures> encodeImages(List<PatchedImage> images) {
        requireVision();
        if (images.isEmpty()) return List.of();
        int n = images.size();
        int maxPatches = visionConfig.processor().maxPatches();
        int values = visionConfig.processor().patchValues();
        FloatBuffer pixels = ByteBuffer.allocateDirect(n * maxPatches * values * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
        LongBuffer positions = ByteBuffer.allocateDirect(n * maxPatches * 2 * Long.BYTES).order(ByteOrder.nativeOrder()).asLongBuffer();
        for (PatchedImage p : images) {
            pixels.put(p.pixelValues());
            positions.put(p.positions());
        }
        Map<String, NodeInfo> inputs;
        try {
            inputs = vision.getInputInfo();
        } catch (OrtException e) {
            throw new ModelException("cannot read the vision encoder's inputs: " + e.getMessage(), e);
        }
        String pixelName = inputs.containsKey("pixel_values") ? "pixel_values" : null;
        String positionName = inputs.keySet().stream().filter(k -> !k.equals("pixel_values")).findFirst().orElse(null);
        if (pixelName == null || positionName == null || inputs.size() != 2) {
            throw new ModelException("the vision encoder takes " + inputs.keySet() + "; expected pixel_values and patch positions");
        }
        try (OnnxTensor pv = OnnxTensor.createTensor(env, pixels.rewind(), new long[] {n, maxPatches, values});
             OnnxTensor pos = OnnxTensor.createTensor(env, positions.rewind(), new long[] {n, maxPatches, 2});
             OrtSession.Result result = timedRun(vision, Map.of(pixelName, pv, positionName, pos), null)) {
            OnnxTensor features = (OnnxTensor) result.get(0);
            long[] shape = features.getInfo().getShape(); // [tokens, hidden]
            int total = images.stream().mapToInt(PatchedImage::softTokens).sum();
            if (shape.length != 2 || shape[0] != total) {
                throw new ModelException("the vision encoder returned " + Arrays.toString(shape) + " for " + total + " soft tokens");
            }
            int hidden = (int) shape[1];
            FloatBuffer all = features.getFloatBuffer();
            List<ImageFeatures> out = new ArrayList<>(n);
            for (PatchedImage p : images) {
                float[] rows = new float[p.softTokens() * hidden];
                all.get(rows);
                out.add(new ImageFeatures(rows, hidden));
            }
            return out;
        } catch (OrtException e) {
            throw new ModelException("the vision encoder failed: " + e.getMessage(), e);
        }
    }

    /**
     * A request for a chat with images: the messages rendered by the folder's template (image parts,
     * {@code {"type": "image"}}, become the image token), each image token expanded to begin-of-image,
     * the image's soft tokens and end-of-image, and the images' features to put over those tokens.
     */
    public GenerationRequest imageRequest(List<ChatTemplate.Message> messages, List<PatchedImage> images, int maxNewTokens,
                                          SamplingParams sampling) {
        requireVision();
        long[] ids = tokenizer.encode(template.render(messages, true));
        long[] expanded = visionConfig.expand(ids, images.stream().mapToInt(PatchedImage::softTokens).toArray());
        List<ImageFeatures> features = encodeImages(images);
        int width = features.isEmpty() ? 1 : features.get(0).width();
        float[] rows = new float[features.stream().mapToInt(f -> f.rows().length).sum()];
        int o = 0;
        for (ImageFeatures f : features) {
            System.arraycopy(f.rows(), 0, rows, o, f.rows().length);
            o += f.rows().length;
        }
        return new GenerationRequest(expanded, maxNewTokens, sampling, true, images.isEmpty() ? null : new ImageFeatures(rows, width));
    }

    /** A user message of images then text, as the chat template takes it. */
    public static ChatTemplate.Message userMessage(int images, String text) {
        List<Map<String, Object>> content = new ArrayList<>();
        for (int i = 0; i < images; i++) content.add(Map.of("type", "image"));
        content.add(Map.of("type", "text", "text", text));
        return new ChatTemplate.Message("user", content);
    }

    public long[] chatPrompt(String userMessage) {
        return tokenizer.encode(template.render(List.of(new ChatTemplate.Message("user", userMessage)), true));
    }

    @Override
    public void close() {
        try {
            if (vision != null) vision.close();
            if (embed != null) embed.close();
            decoder.close();
        } catch (OrtException e) {
            throw new ModelException("cannot close the model: " + e.getMessage(), e);
        } finally {
            tokenizer.close();
        }
    }
}
