package dev.nightshift.pipeline.image;

import dev.nightshift.pipeline.core.Chunk;
import dev.nightshift.pipeline.core.Hashing;
import dev.nightshift.pipeline.core.InputRef;
import dev.nightshift.pipeline.core.OutputDraft;
import dev.nightshift.pipeline.core.OutputOrigin;
import dev.nightshift.pipeline.core.Task;
import dev.nightshift.pipeline.llm.GemmaEngine;
import dev.nightshift.pipeline.llm.GenerationRequest;
import dev.nightshift.pipeline.llm.GenerationResult;
import dev.nightshift.pipeline.llm.Generator;
import dev.nightshift.pipeline.llm.SamplingParams;
import dev.nightshift.pipeline.llm.vision.PatchedImage;
import dev.nightshift.pipeline.llm.vision.RgbImage;
import dev.nightshift.pipeline.task.PromptTemplate;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * The {@code image} task: a vision model (Gemma 4 with a vision encoder) looks at a picture and writes a
 * description and a label from {@link ImageLabel}. The stored output reads {@code "label: description"}.
 *
 * <p>Rules, so that a night is not spent on spacers: a picture under {@value #MIN_SIDE} pixels on either
 * side (icons, bullets, tracking pixels) is recorded and not described; a picture whose bytes are
 * identical to one described earlier in the run (among the last {@value #REMEMBERED}) takes that description
 * (finish reason {@code cached}).
 * Generation goes through the run's shared {@link Generator}, so pictures and text share one batch.
 */
public final class ImageDescriber {
    /** Pictures smaller than this on either side are not described. */
    public static final int MIN_SIDE = 32;
    static final PromptTemplate PROMPT = PromptTemplate.load("describe-image", "1");

    private final GemmaEngine engine;
    private final Generator generator;
    private final int maxNewTokens;
    /** Pictures remembered for duplicates: memory stays flat however many pictures a night holds. */
    static final int REMEMBERED = 10_000;
    /**
     * Descriptions by the SHA-256 of the picture's bytes, the latest {@value #REMEMBERED} of this run:
     * exact duplicates (a logo in every mail) are described once.
     */
    private final Map<String, CompletableFuture<String>> seen = java.util.Collections.synchronizedMap(
            new java.util.LinkedHashMap<>(256, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, CompletableFuture<String>> eldest) {
                    return size() > REMEMBERED;
                }
            });

    /** What became of one picture: an output, or why there is none. */
    public record Result(List<Chunk> chunks, List<OutputDraft> outputs, String notDescribed) {
        static Result skipped(String why) {
            return new Result(List.of(), List.of(), why);
        }
    }

    public ImageDescriber(GemmaEngine engine, Generator generator, int maxNewTokens) {
        this.engine = Objects.requireNonNull(engine);
        if (!engine.seesImages()) throw new IllegalArgumentException(engine.folder().folder() + " has no vision encoder: it cannot describe images");
        this.generator = Objects.requireNonNull(generator);
        if (maxNewTokens < 8) throw new IllegalArgumentException("image descriptions need at least 8 new tokens");
        this.maxNewTokens = maxNewTokens;
    }

    public Task task() {
        Map<String, String> parameters = new LinkedHashMap<>(SamplingParams.GREEDY.asParameters());
        parameters.put("max_new_tokens", Integer.toString(maxNewTokens));
        parameters.put("max_soft_tokens", Integer.toString(engine.visionConfig().processor().maxSoftTokens()));
        parameters.put("min_side", Integer.toString(MIN_SIDE));
        return new Task("image", "model", engine.label(), engine.folder().identity(), PROMPT.name(), PROMPT.version(), PROMPT.hash(), parameters);
    }

    /**
     * Describes one picture.
     *
     * @param bytes the picture's file bytes
     * @param name  for messages only
     * @throws IOException when the bytes are not a picture Java can decode (a failure of that document)
     */
    public Result describe(byte[] bytes, String name) throws IOException {
        RgbImage image = RgbImage.read(new ByteArrayInputStream(bytes), name);
        if (image.width() < MIN_SIDE || image.height() < MIN_SIDE) {
            return Result.skipped("too small to describe (" + image.width() + "x" + image.height() + ", under " + MIN_SIDE + "x" + MIN_SIDE + ")");
        }
        PatchedImage patched = engine.prepare(image);
        String cannot = engine.visionConfig().cannotEncode(patched);
        if (cannot != null) return Result.skipped(cannot);
        // Claimed only once the picture is known to be describable: a later copy waits on this one.
        String sha = Hashing.sha256(bytes);
        CompletableFuture<String> mine = new CompletableFuture<>();
        CompletableFuture<String> earlier = seen.putIfAbsent(sha, mine);
        // The whole picture is the one "chunk" its output is made from: chars [0, 0), its soft tokens.
        List<Chunk> chunks = List.of(new Chunk(0, 0, 0, patched.softTokens(), ""));
        if (earlier != null) {
            String text = earlier.join();
            return new Result(chunks, List.of(new OutputDraft(0, true, text, List.of(InputRef.chunk(0)), OutputOrigin.CACHED, 0, 0, 0)), null);
        }
        try {
            GenerationRequest request = engine.imageRequest(List.of(GemmaEngine.userMessage(1, PROMPT.text())), List.of(patched),
                    maxNewTokens, SamplingParams.GREEDY);
            GenerationResult r = generator.generate(List.of(request)).get(0);
            String text = ImageLabel.parse(r.text()).text() + ": " + ImageLabel.description(r.text());
            mine.complete(text);
            return new Result(chunks, List.of(r.draft(0, true, text, List.of(InputRef.chunk(0)))), null);
        } catch (RuntimeException e) {
            seen.remove(sha, mine);
            mine.completeExceptionally(e);
            throw e;
        }
    }
}
