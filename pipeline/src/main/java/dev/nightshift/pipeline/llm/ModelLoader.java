package dev.nightshift.pipeline.llm;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxTensorLike;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import dev.nightshift.pipeline.llm.graph.AccuracyLevelPatch;
import dev.nightshift.pipeline.llm.graph.GraphOps;
import dev.nightshift.pipeline.llm.graph.LastPositionPatch;
import dev.nightshift.pipeline.llm.graph.QuantizedHeadPatch;
import dev.nightshift.pipeline.llm.model.ChatTemplate;
import dev.nightshift.pipeline.llm.model.Dtype;
import dev.nightshift.pipeline.llm.model.GemmaTokenizer;
import dev.nightshift.pipeline.llm.model.ModelException;
import dev.nightshift.pipeline.llm.model.ModelFolder;
import dev.nightshift.pipeline.llm.vision.VisionConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Opens a model folder's graphs with ONNX Runtime: the decoder patched in memory on the way in
 * ({@link LastPositionPatch} always, {@link AccuracyLevelPatch} for int8 kernels), the embedding graph and
 * the vision encoder as shipped, the tokenizer and the chat template. What is opened is closed again
 * when a later part fails.
 */
final class ModelLoader {
    private static final Logger log = LoggerFactory.getLogger(ModelLoader.class);
    /** Graphs whose bytes are not read into memory to patch (a 2 GB protobuf is the format's own limit). */
    private static final long MAX_PATCHED_BYTES = 1L << 30;

    private ModelLoader() {
    }

    /**
     * The decoder session, what was changed in its graph on the way in, its attention operator that
     * reads row lengths from the mask (null when it has none, or when the graph was too big to read), how
     * its head runs, and the weights handed to the session (closed with it).
     */
    private record DecoderGraph(OrtSession session, int int8Nodes, boolean lastPatched, String fusedAttention, HeadChoice head,
                                List<OnnxTensor> weights) {
    }

    static GemmaEngine load(Path path, Dtype dtype, int threads, Path profilePrefix, Kernels kernels, Head head) {
        ModelFolder folder = ModelFolder.resolve(path, dtype);
        ChatTemplate template = ChatTemplate.load(path);
        // ONNX Runtime writes its log to the process's stderr, colour codes included, over the progress line;
        // Java cannot redirect it. Every error it logs also comes back as an OrtException, which nightshift
        // reports and writes to its own log: only a crash of the runtime itself is let through.
        OrtEnvironment env = OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL, "nightshift");
        OrtSession embed = null;
        DecoderGraph decoder = null;
        OrtSession vision = null;
        GemmaTokenizer tokenizer = null;
        // The decoder's options get settings of its own (where its weights are), so it has a set to itself.
        try (OrtSession.SessionOptions options = options(threads, profilePrefix);
             OrtSession.SessionOptions decoderOptions = options(threads, profilePrefix)) {
            if (folder.embedGraph() != null) embed = openSession(env, folder.embedGraph(), options);
            decoder = openDecoder(env, folder, decoderOptions, kernels, head);
            tokenizer = GemmaTokenizer.load(folder.tokenizer(), "hf:" + folder.identity().substring(0, 16));
            ModelSession session = new ModelSession(env, folder.config(), folder.decoderGraph(), embed, decoder.session(),
                    decoder.lastPatched(), decoder.weights(), new AtomicLong());
            VisionEncoder encoder = null;
            if (folder.visionGraph() != null) {
                VisionConfig visionConfig = VisionConfig.load(path);
                vision = openSession(env, folder.visionGraph(), options);
                encoder = new VisionEncoder(session, vision, visionConfig);
            }
            LayoutChoice layout = LayoutProbe.choose(session, tokenizer, decoder.fusedAttention());
            log.debug("{}: batch layout {} ({}; probe {} ms)", folder.folder(), layout.layout(), layout.reason(), layout.millis());
            return new GemmaEngine(folder, template, tokenizer, session, encoder, layout, decoder.int8Nodes(), decoder.head());
        } catch (OrtException | RuntimeException e) {
            close(embed);
            if (decoder != null) {
                close(decoder.session());
                decoder.weights().forEach(OnnxTensor::close);
            }
            close(vision);
            if (tokenizer != null) tokenizer.close();
            if (e instanceof ModelException m) throw m;
            throw new ModelException("cannot load " + path + ": " + e.getMessage(), e);
        }
    }

    private static OrtSession.SessionOptions options(int threads, Path profilePrefix) throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
        options.setIntraOpNumThreads(threads > 0 ? threads : Runtime.getRuntime().availableProcessors());
        options.setInterOpNumThreads(1);
        if (profilePrefix != null) options.enableProfiling(profilePrefix.toString());
        return options;
    }

    private static OrtSession openSession(OrtEnvironment env, Path graph, OrtSession.SessionOptions options) {
        try {
            // From the path, so ONNX Runtime finds external data shards beside the graph.
            return env.createSession(graph.toString(), options);
        } catch (OrtException e) {
            throw new ModelException("cannot load the graph " + graph + " (truncated or not an ONNX file?): " + e.getMessage(), e);
        }
    }

    /**
     * The decoder graph, patched in memory: logits for each row's last position only
     * ({@link LastPositionPatch}, always: it does not change the numbers); for a 4-bit graph with
     * {@link Kernels#INT8}, int8 MatMulNBits kernels ({@link AccuracyLevelPatch}); and with a quantized
     * {@link Head}, the float output layer quantized ({@link QuantizedHeadPatch}), its weights handed to
     * ONNX Runtime as tensors rather than written into the graph's bytes. External data shards stay where
     * they are: ONNX Runtime is told the folder to find them in, since a graph loaded from bytes has no path.
     */
    private static DecoderGraph openDecoder(OrtEnvironment env, ModelFolder folder, OrtSession.SessionOptions options, Kernels kernels,
                                            Head head) {
        Path graph = folder.decoderGraph();
        List<OnnxTensor> weights = new ArrayList<>();
        try {
            if (Files.size(graph) > MAX_PATCHED_BYTES) {
                log.info("{} is over 1 GiB: run as shipped", graph);
                return new DecoderGraph(openSession(env, graph, options), 0, false, null,
                        new HeadChoice(0, "as shipped (the graph is too big to patch)"), List.of());
            }
            byte[] original = Files.readAllBytes(graph);
            byte[] bytes = original;
            String fusedAttention = GraphOps.lengthBasedAttention(GraphOps.opTypes(bytes));
            int int8Nodes = 0;
            boolean fourBit = folder.dtype() == Dtype.Q4 || folder.dtype() == Dtype.Q4F16;
            if (fourBit && kernels == Kernels.INT8) {
                AccuracyLevelPatch.Result result = AccuracyLevelPatch.apply(bytes, AccuracyLevelPatch.INT8);
                bytes = result.model();
                int8Nodes = result.patchedNodes();
            }
            // Each row's last position first: the head patch then quantizes whichever layer it feeds.
            LastPositionPatch.Result last = LastPositionPatch.apply(bytes);
            bytes = last.model();
            HeadChoice headChoice = new HeadChoice(0, "as shipped");
            if (head == Head.DEFAULT) head = fourBit ? Head.INT8 : Head.AS_SHIPPED;
            if (head != Head.AS_SHIPPED) {
                QuantizedHeadPatch.Result quantized = QuantizedHeadPatch.apply(bytes, graph.toAbsolutePath().getParent(), head.bits());
                bytes = quantized.model();
                headChoice = quantized.applied()
                        ? new HeadChoice(head.bits(), head.bits() + "-bit in memory (blocks of " + QuantizedHeadPatch.BLOCK + ", int8 activations)")
                        : new HeadChoice(0, "as shipped (" + quantized.reason() + ")");
                Map<String, OnnxTensorLike> given = new HashMap<>();
                for (QuantizedHeadPatch.Weight w : quantized.weights()) {
                    OnnxTensor t = OnnxTensor.createTensor(env, w.data(), w.shape(), w.isFloat() ? OnnxJavaType.FLOAT : OnnxJavaType.UINT8);
                    weights.add(t);
                    given.put(w.name(), t);
                }
                if (!given.isEmpty()) options.addExternalInitializers(given);
            }
            if (bytes == original) return new DecoderGraph(openSession(env, graph, options), 0, false, fusedAttention, headChoice, List.of());
            options.addConfigEntry("session.model_external_initializers_file_folder_path", graph.toAbsolutePath().getParent().toString());
            return new DecoderGraph(env.createSession(bytes, options), int8Nodes, last.applied(), fusedAttention, headChoice, weights);
        } catch (IOException | OrtException | ModelException e) {
            weights.forEach(OnnxTensor::close);
            throw new ModelException("cannot load the graph " + graph + " (truncated or not an ONNX file?): " + e.getMessage(), e);
        }
    }

    private static void close(OrtSession s) {
        if (s == null) return;
        try {
            s.close();
        } catch (OrtException ignored) {
            // already failing
        }
    }
}
