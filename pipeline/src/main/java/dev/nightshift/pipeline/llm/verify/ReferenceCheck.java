package dev.nightshift.pipeline.llm.verify;

import dev.nightshift.pipeline.llm.GemmaEngine;
import dev.nightshift.pipeline.llm.GenerationRequest;
import dev.nightshift.pipeline.llm.GenerationResult;
import dev.nightshift.pipeline.llm.SamplingParams;
import dev.nightshift.pipeline.llm.model.ChatTemplate;
import dev.nightshift.pipeline.llm.model.Dtype;
import dev.nightshift.pipeline.llm.model.ModelException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Compares the engine with a {@code reference.json} made by transformers (format in the fixtures'
 * README): for every case the prompt's token ids, the chat template's rendering, the greedy tokens
 * and, in fp32, the first step's top-5 ids and logits; then the left-padded batch.
 *
 * <p>fp32 is checked against {@code cases.*.generated}; a quantized precision against
 * {@code quantized[<graph file name>]}, which onnxruntime produced and may differ slightly between
 * versions of its quantized kernels.
 */
public final class ReferenceCheck {
    /** Logits may differ this much across ONNX Runtime versions and still be the same model. */
    public static final double LOGIT_TOLERANCE = 1e-3;

    /**
     * @param exact false for a case the reference itself says may differ (an image transformers resized
     *              with a decoder and resampler of its own): reported, not required
     */
    public record CaseResult(String name, boolean idsMatch, Boolean templateMatches, int[] expected, int[] actual,
                             int firstDifference, Boolean top5Match, Double maxLogitError, boolean exact) {
        public CaseResult(String name, boolean idsMatch, Boolean templateMatches, int[] expected, int[] actual,
                          int firstDifference, Boolean top5Match, Double maxLogitError) {
            this(name, idsMatch, templateMatches, expected, actual, firstDifference, top5Match, maxLogitError, true);
        }

        public boolean matches() {
            return idsMatch && !Boolean.FALSE.equals(templateMatches) && firstDifference < 0
                    && !Boolean.FALSE.equals(top5Match) && (maxLogitError == null || maxLogitError <= LOGIT_TOLERANCE);
        }
    }

    public record BatchResult(List<String> cases, List<int[]> expected, List<int[]> actual, int mismatchedRow,
                              int firstDifference) {
        public boolean matches() {
            return mismatchedRow < 0;
        }
    }

    /**
     * @param expectation which reference was used: {@code generated (fp32)} or {@code quantized[model_q4.onnx]}
     * @param batch       the batch result, or null when the reference has none for this precision
     */
    public record Report(String expectation, List<CaseResult> cases, BatchResult batch, List<ImageCheck> images) {
        public Report(String expectation, List<CaseResult> cases, BatchResult batch) {
            this(expectation, cases, batch, List.of());
        }

        public long matching() {
            return cases.stream().filter(CaseResult::matches).count();
        }

        /** Every exact case, the batch and every image that must be bit-exact. */
        public boolean allMatch() {
            return cases.stream().allMatch(c -> c.matches() || !c.exact()) && (batch == null || batch.matches())
                    && images.stream().allMatch(i -> !Boolean.FALSE.equals(i.pixelsMatch()));
        }
    }

    /**
     * One image of a vision reference.
     *
     * @param pixelsMatch for an image at its target size: whether the pixel values' SHA-256 is the
     *                    reference's (null for a resized one)
     * @param meanAbsoluteDifference for a resized image shipped with transformers' pixel values: how far
     *                    ours are from them, in [0, 1] units (null when there is no pixel file)
     */
    public record ImageCheck(String name, int softTokens, boolean resized, Boolean pixelsMatch, Double meanAbsoluteDifference) {
    }

    private ReferenceCheck() {
    }

    public static Report run(GemmaEngine engine, Path referenceJson) {
        JsonNode ref;
        try {
            ref = new ObjectMapper().readTree(referenceJson.toFile());
        } catch (IOException e) {
            throw new ModelException("cannot read " + referenceJson + ": " + e.getMessage(), e);
        }
        if (ref.path("images").isObject()) return VisionReferenceCheck.run(engine, ref, referenceJson.getParent().resolve("images"));
        int maxNew = ref.path("max_new_tokens").asInt(20);
        Dtype dtype = engine.folder().dtype();
        String graphFile = engine.folder().decoderGraph().getFileName().toString();
        JsonNode quantized = dtype == Dtype.FP32 ? null : ref.path("quantized").path(graphFile);
        if (quantized != null && quantized.isMissingNode()) {
            throw new ModelException(referenceJson + " has no expectations for " + graphFile + " (" + dtype.cliName()
                    + "); verify with --dtype fp32" + (ref.path("quantized").isObject()
                    ? " or one of " + ref.path("quantized").properties().stream().map(e -> e.getKey()).toList() : ""));
        }
        String expectation = quantized == null ? "generated (fp32)" : "quantized[" + graphFile + "]";

        List<CaseResult> results = new ArrayList<>();
        var cases = ref.path("cases").properties();
        for (var entry : cases) {
            String name = entry.getKey();
            JsonNode c = entry.getValue();
            long[] expectedIds = longs(c.path("input_ids"));
            long[] ids = engine.tokenizer().encode(c.path("prompt").asText());
            boolean idsMatch = Arrays.equals(ids, expectedIds);
            Boolean templateMatches = null;
            if (c.has("messages")) {
                List<ChatTemplate.Message> messages = new ArrayList<>();
                c.get("messages").forEach(m -> messages.add(new ChatTemplate.Message(m.path("role").asText(), m.path("content").asText())));
                templateMatches = engine.template().render(messages, true).equals(c.path("prompt").asText());
            }
            int[] expected = ints(quantized == null ? c.path("generated") : quantized.path(name));
            int[] actual = engine.generate(List.of(GenerationRequest.greedy(expectedIds, maxNew))).get(0).tokenIds();
            Boolean top5 = null;
            Double logitError = null;
            if (quantized == null && c.has("first_step")) {
                float[] logits = engine.promptLogits(expectedIds);
                int[] top = top5(logits);
                int[] expectedTop = ints(c.path("first_step").path("top5_ids"));
                top5 = Arrays.equals(top, expectedTop);
                double worst = 0;
                JsonNode expectedLogits = c.path("first_step").path("top5_logits");
                for (int i = 0; i < expectedTop.length; i++) {
                    worst = Math.max(worst, Math.abs(logits[expectedTop[i]] - expectedLogits.get(i).asDouble()));
                }
                logitError = worst;
            }
            results.add(new CaseResult(name, idsMatch, templateMatches, expected, actual, firstDifference(expected, actual),
                    top5, logitError));
        }

        BatchResult batch = null;
        JsonNode b = ref.path("batch");
        if (quantized == null && b.isObject()) {
            List<String> names = new ArrayList<>();
            List<GenerationRequest> requests = new ArrayList<>();
            b.path("cases").forEach(n -> {
                names.add(n.asText());
                requests.add(GenerationRequest.greedy(longs(ref.path("cases").path(n.asText()).path("input_ids")), maxNew));
            });
            batch = batch(engine, names, requests, b.path("generated"));
        }
        return new Report(expectation, results, batch);
    }

    /** Generates the requests as one left-padded batch and compares each row with the reference's row. */
    static BatchResult batch(GemmaEngine engine, List<String> names, List<GenerationRequest> requests, JsonNode expectedRows) {
        List<GenerationResult> generated = engine.generate(requests);
        int pad = engine.config().padId();
        int width = generated.stream().mapToInt(GenerationResult::generatedTokens).max().orElse(0);
        List<int[]> expected = new ArrayList<>();
        List<int[]> actual = new ArrayList<>();
        int mismatchedRow = -1;
        int difference = -1;
        for (int row = 0; row < names.size(); row++) {
            int[] e = ints(expectedRows.get(row));
            // Rows that stopped early are padded with the pad id, as in the reference.
            int[] a = Arrays.copyOf(generated.get(row).tokenIds(), Math.max(width, e.length));
            Arrays.fill(a, generated.get(row).generatedTokens(), a.length, pad);
            expected.add(e);
            actual.add(a);
            int d = firstDifference(e, a);
            if (d >= 0 && mismatchedRow < 0) {
                mismatchedRow = row;
                difference = d;
            }
        }
        return new BatchResult(names, expected, actual, mismatchedRow, difference);
    }

    static int firstDifference(int[] expected, int[] actual) {
        int n = Math.min(expected.length, actual.length);
        for (int i = 0; i < n; i++) if (expected[i] != actual[i]) return i;
        return expected.length == actual.length ? -1 : n;
    }

    static int[] top5(float[] logits) {
        return IntStream.range(0, logits.length).boxed()
                .sorted(Comparator.<Integer>comparingDouble(i -> -logits[i]).thenComparingInt(i -> i))
                .limit(5).mapToInt(Integer::intValue).toArray();
    }

    static long[] longs(JsonNode array) {
        long[] out = new long[array.size()];
        for (int i = 0; i < out.length; i++) out[i] = array.get(i).asLong();
        return out;
    }

    static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) out[i] = array.get(i).asInt();
        return out;
    }
}
