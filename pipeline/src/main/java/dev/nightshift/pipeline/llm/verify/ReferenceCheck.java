package dev.nightshift.pipeline.llm.verify;

import dev.nightshift.pipeline.llm.GemmaEngine;
import dev.nightshift.pipeline.llm.GenerationRequest;
import dev.nightshift.pipeline.llm.GenerationResult;
import dev.nightshift.pipeline.llm.SamplingParams;
import dev.nightshift.pipeline.llm.ScriptedFeed;
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
 * and, in fp32, the first step's top-5 ids and logits; then the reference's batch, twice: generated
 * together (in whatever layout the engine chose for the graph), and joining a running batch one row per
 * step (continuous batching, as runs generate).
 *
 * <p>fp32 is checked against {@code cases.*.generated} and the batch against transformers' own batch;
 * a quantized precision against {@code quantized[<graph file name>]}, which onnxruntime produced and may
 * differ slightly between versions of its quantized kernels, and its batch rows against what the engine
 * generated for each row alone in that precision (a batch must never change a row's tokens).
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

    /**
     * @param against what the rows were compared with: {@code transformers' batch} or {@code each row alone}
     */
    public record BatchResult(List<String> cases, String against, List<int[]> expected, List<int[]> actual, int mismatchedRow,
                              int firstDifference) {
        public boolean matches() {
            return mismatchedRow < 0;
        }
    }

    /**
     * @param expectation which reference was used: {@code generated (fp32)} or {@code quantized[model_q4.onnx]}
     * @param batch       the batch generated together, or null when the reference has no batch
     * @param joined      the batch's rows joining a running batch one step apart, or null when there is no batch
     */
    public record Report(String expectation, List<CaseResult> cases, BatchResult batch, BatchResult joined, List<ImageCheck> images) {
        public Report(String expectation, List<CaseResult> cases, BatchResult batch, BatchResult joined) {
            this(expectation, cases, batch, joined, List.of());
        }

        public long matching() {
            return cases.stream().filter(CaseResult::matches).count();
        }

        /** Every exact case, the batch and every image that must be bit-exact. */
        public boolean allMatch() {
            return cases.stream().allMatch(c -> c.matches() || !c.exact()) && (batch == null || batch.matches())
                    && (joined == null || joined.matches()) && images.stream().allMatch(i -> !Boolean.FALSE.equals(i.pixelsMatch()));
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
        java.util.Map<String, int[]> alone = new java.util.HashMap<>();
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
            alone.put(name, actual);
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

        JsonNode b = ref.path("batch");
        if (!b.isObject()) return new Report(expectation, results, null, null);
        List<String> names = new ArrayList<>();
        List<GenerationRequest> requests = new ArrayList<>();
        b.path("cases").forEach(n -> {
            names.add(n.asText());
            requests.add(GenerationRequest.greedy(longs(ref.path("cases").path(n.asText()).path("input_ids")), maxNew));
        });
        List<int[]> aloneRows = names.stream().map(alone::get).toList();
        List<int[]> expected = quantized == null ? rows(b.path("generated"), engine) : aloneRows;
        String against = quantized == null ? "transformers' batch" : "each row alone";
        return new Report(expectation, results, batch(engine, names, requests, expected, against),
                joined(engine, names, requests, aloneRows));
    }

    /** Reference rows as generated tokens: a row that stopped at an end-of-sequence id is cut after it (the rest is padding). */
    static List<int[]> rows(JsonNode rows, GemmaEngine engine) {
        List<int[]> out = new ArrayList<>();
        for (JsonNode row : rows) {
            int[] tokens = ints(row);
            int end = 0;
            while (end < tokens.length && !engine.config().eosIds().contains(tokens[end])) end++;
            out.add(Arrays.copyOf(tokens, Math.min(tokens.length, end + 1)));
        }
        return out;
    }

    /** Generates the requests as one batch and compares each row with its expected tokens. */
    static BatchResult batch(GemmaEngine engine, List<String> names, List<GenerationRequest> requests, List<int[]> expected,
                             String against) {
        List<int[]> actual = engine.generate(requests).stream().map(GenerationResult::tokenIds).toList();
        return compare(names, against, expected, actual);
    }

    /**
     * Generates the requests with continuous batching, each joining the running batch one step after the
     * one before (rows of different lengths padded to each other, as a run does), and compares each row
     * with what it gave alone.
     */
    static BatchResult joined(GemmaEngine engine, List<String> names, List<GenerationRequest> requests, List<int[]> alone) {
        ScriptedFeed feed = ScriptedFeed.oneAStep(requests);
        engine.generateContinuously(feed);
        return compare(names, "each row alone", alone, requests.stream().map(r -> feed.result(r).tokenIds()).toList());
    }

    private static BatchResult compare(List<String> names, String against, List<int[]> expected, List<int[]> actual) {
        int mismatchedRow = -1;
        int difference = -1;
        for (int row = 0; row < names.size() && mismatchedRow < 0; row++) {
            int d = firstDifference(expected.get(row), actual.get(row));
            if (d >= 0) {
                mismatchedRow = row;
                difference = d;
            }
        }
        return new BatchResult(names, against, expected, actual, mismatchedRow, difference);
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
