package dev.nightshift.pipeline.llm;

import ai.onnxruntime.OrtException;
import dev.nightshift.pipeline.llm.model.ChatTemplate;
import dev.nightshift.pipeline.llm.model.Dtype;
import dev.nightshift.pipeline.llm.model.GemmaTokenizer;
import dev.nightshift.pipeline.llm.model.ModelConfig;
import dev.nightshift.pipeline.llm.model.ModelException;
import dev.nightshift.pipeline.llm.model.ModelFolder;
import dev.nightshift.pipeline.llm.vision.PatchedImage;
import dev.nightshift.pipeline.llm.vision.RgbImage;
import dev.nightshift.pipeline.llm.vision.VisionConfig;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Runs an onnx-community Gemma 3 / Gemma 4 export with ONNX Runtime: one graph ({@code model.onnx}), or
 * {@code embed_tokens} + {@code decoder_model_merged}, and Gemma 4's vision encoder. Everything about the
 * graphs is read from the session metadata.
 *
 * <p>The parts, each in a class of its own: {@link ModelLoader} opens the graphs (with their in-memory
 * patches); {@link ModelSession} runs one step; {@link Prefill} runs prompts into a cache;
 * {@link ContinuousDecoder} decodes a batch that requests join and leave between steps, which
 * {@link StaticBatch} feeds all at once for {@link #generate}; {@link BatchLayout} says where the rows of
 * a batch sit; {@link VisionEncoder} turns pictures into features.
 *
 * <p>Not thread-safe: one generation at a time (the run's {@link BatchingGenerator} serializes them).
 * ONNX Runtime already spreads each step over the cores.
 */
public final class GemmaEngine implements AutoCloseable {
    private final ModelFolder folder;
    private final ChatTemplate template;
    private final GemmaTokenizer tokenizer;
    private final ModelSession session;
    /** Null for a model that cannot see. */
    private final VisionEncoder vision;
    private final LayoutChoice layout;
    private final int int8Nodes;
    private final HeadChoice head;
    private final ContinuousDecoder decoder;

    GemmaEngine(ModelFolder folder, ChatTemplate template, GemmaTokenizer tokenizer, ModelSession session, VisionEncoder vision,
                LayoutChoice layout, int int8Nodes, HeadChoice head) {
        this.folder = folder;
        this.template = template;
        this.tokenizer = tokenizer;
        this.session = session;
        this.vision = vision;
        this.layout = layout;
        this.int8Nodes = int8Nodes;
        this.head = head;
        this.decoder = new ContinuousDecoder(session, layout.layout(), layout.inPlace(), tokenizer, this::checkRequest, imageTokenId());
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
        return load(path, dtype, threads, profilePrefix, kernels, Head.AS_SHIPPED);
    }

    /**
     * As {@link #load(Path, Dtype, int, Path, Kernels)}, with the output layer's precision: a float head
     * can be quantized in memory ({@link Head}).
     */
    public static GemmaEngine load(Path path, Dtype dtype, int threads, Path profilePrefix, Kernels kernels, Head head) {
        return ModelLoader.load(path, dtype, threads, profilePrefix, kernels, head);
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
        return session.vocab();
    }

    /** MatMulNBits nodes running with int8 activations (0: the graph runs as shipped). */
    public int int8Nodes() {
        return int8Nodes;
    }

    /** How the output layer runs: as shipped, or quantized in memory and how. */
    public HeadChoice head() {
        return head;
    }

    /** Where the rows of a batch sit in this graph's inputs. */
    public BatchLayout layout() {
        return layout.layout();
    }

    /** The session the engine runs (for the probe's tests). */
    ModelSession session() {
        return session;
    }

    /** The batch layout, why it was chosen, and what the probe at load measured. */
    public LayoutChoice layoutChoice() {
        return layout;
    }

    /**
     * Bytes of keys and values one row holds per token of context, summed over the graph's KV inputs
     * ([batch, kv_heads, length, head_dim] each, in their element type): what a batch's cache costs.
     */
    public long kvBytesPerToken() {
        long bytes = 0;
        for (KvSlot slot : session.kv()) bytes += slot.kvHeads() * slot.headDim() * slot.bytesPerElement();
        return bytes;
    }

    /** KV pairs as (layer, heads, head_dim) for the model summary. */
    public List<String> kvSummary() {
        List<String> s = new ArrayList<>();
        List<KvSlot> kv = session.kv();
        for (int i = 0; i < kv.size(); i += 2) {
            KvSlot k = kv.get(i);
            s.add(k.pastName().replace(".key", "") + " [" + k.kvHeads() + " heads x " + k.headDim() + "] " + k.type());
        }
        return s;
    }

    /** Graph inputs and outputs, for the model summary. */
    public Map<String, String> graphSignature() {
        try {
            return session.signature();
        } catch (OrtException e) {
            throw new ModelException("cannot read graph metadata: " + e.getMessage(), e);
        }
    }

    /** Nanoseconds spent inside {@code OrtSession.run} since the engine was loaded (for overhead measurements). */
    public long sessionNanos() {
        return session.sessionNanos();
    }

    public List<GenerationResult> generate(List<GenerationRequest> requests) {
        return generate(requests, TokenListener.NONE);
    }

    /**
     * Generates for a batch of prompts at once; each row leaves the batch when it finishes.
     *
     * @throws ContextOverflowException if any prompt plus its new tokens exceeds the context
     */
    public List<GenerationResult> generate(List<GenerationRequest> requests, TokenListener listener) {
        if (requests.isEmpty()) return List.of();
        for (GenerationRequest r : requests) checkRequest(r);
        StaticBatch batch = new StaticBatch(requests, listener);
        decoder.run(batch);
        return batch.results();
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

        /** A request's row has generated a token (for streaming). */
        default void token(GenerationRequest request, int token) {
        }

        /** A decoding step ran with this many rows (for statistics). */
        default void stepped(int rows) {
        }
    }

    /**
     * Continuous batching: requests join the running batch between decoding steps and leave it as soon
     * as they finish (see {@link ContinuousDecoder}). Returns when no row is running and the feed has
     * nothing to join.
     *
     * @throws GenerationCancelledException when the run is stopping; rows in flight are not handed back
     */
    public void generateContinuously(Feed feed) {
        decoder.run(feed);
    }

    /**
     * Generations in progress stop at their next step once {@code condition} holds (a run being
     * stopped), throwing {@link GenerationCancelledException}; their partial output is dropped.
     */
    public void cancelWhen(BooleanSupplier condition) {
        session.cancelWhen(condition);
    }

    /** The logits [vocab] after the prompt: what the first generated token is chosen from. */
    public float[] promptLogits(long[] promptIds) {
        GenerationRequest request = GenerationRequest.greedy(promptIds, 1);
        checkRequest(request);
        float[] logits = new float[session.vocab()];
        try {
            Prefill.ownCache(session, layout.layout(), List.of(request), logits, -1).close();
        } catch (OrtException e) {
            throw new ModelException("ONNX Runtime failed: " + e.getMessage(), e);
        }
        return logits;
    }

    private void checkRequest(GenerationRequest r) {
        int context = folder.config().contextLength();
        if (r.promptIds().length + r.maxNewTokens() > context) {
            throw new ContextOverflowException(r.promptIds().length, r.maxNewTokens(), context);
        }
        int vocab = session.vocab();
        long imageToken = imageTokenId();
        int imageTokens = 0;
        for (long id : r.promptIds()) {
            if (id < 0 || id >= vocab) {
                throw new ModelException("token id " + id + " is outside the graph's vocabulary of " + vocab
                        + ": tokenizer.json does not match the model");
            }
            if (id == imageToken) imageTokens++;
        }
        if (r.images() != null) {
            if (vision == null) throw new ModelException(folder.folder() + " has no vision encoder: it cannot take images");
            if (r.images().tokens() != imageTokens) {
                throw new IllegalArgumentException("the prompt has " + imageTokens + " image tokens for " + r.images().tokens() + " feature rows");
            }
        }
    }

    private long imageTokenId() {
        return vision == null ? -1 : vision.config().imageTokenId();
    }

    /** True when the folder has a vision encoder: prompts may hold images. */
    public boolean seesImages() {
        return vision != null;
    }

    /** The vision settings (token ids, image processor), or null for a model that cannot see. */
    public VisionConfig visionConfig() {
        return vision == null ? null : vision.config();
    }

    /** An image prepared as this model's vision encoder takes it. */
    public PatchedImage prepare(RgbImage image) {
        return requireVision().prepare(image);
    }

    /** The features of each image, one row per soft token (see {@link VisionEncoder#encode}). */
    public List<ImageFeatures> encodeImages(List<PatchedImage> images) {
        return requireVision().encode(images);
    }

    private VisionEncoder requireVision() {
        if (vision == null) throw new ModelException(folder.folder() + " has no vision encoder (onnx/vision_encoder*.onnx): it cannot take images");
        return vision;
    }

    /**
     * A request for a chat with images: the messages rendered by the folder's template (image parts,
     * {@code {"type": "image"}}, become the image token), each image token expanded to begin-of-image,
     * the image's soft tokens and end-of-image, and the images' features to put over those tokens.
     */
    public GenerationRequest imageRequest(List<ChatTemplate.Message> messages, List<PatchedImage> images, int maxNewTokens,
                                          SamplingParams sampling) {
        VisionEncoder encoder = requireVision();
        for (PatchedImage image : images) {
            String cannot = encoder.config().cannotEncode(image);
            if (cannot != null) throw new IllegalArgumentException("the picture is " + cannot);
        }
        long[] ids = tokenizer.encode(template.render(messages, true));
        long[] expanded = encoder.config().expand(ids, images.stream().mapToInt(PatchedImage::softTokens).toArray());
        List<ImageFeatures> features = encoder.encode(images);
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

    /** How outputs name the model that made them: the folder's absolute path and its weights' dtype, {@code /m/gemma (q4)}. */
    public String label() {
        return folder.folder().toAbsolutePath() + " (" + folder.dtype().cliName() + ")";
    }

    /** Renders a single user message with the model's chat template and encodes it. */
    public long[] chatPrompt(String userMessage) {
        return tokenizer.encode(template.render(List.of(new ChatTemplate.Message("user", userMessage)), true));
    }

    @Override
    public void close() {
        Closing.all(vision, session, tokenizer);
    }
}
