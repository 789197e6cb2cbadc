package dev.nightshift.pipeline.llm;

import dev.nightshift.pipeline.llm.model.GemmaTokenizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Finds, when a model loads, a batch layout in which its graph computes every row as it would alone.
 *
 * <p>Why a probe and not the graph's operators: the two known export families need opposite layouts
 * (torch.onnx graphs left padding, fused {@code GroupQueryAttention} graphs right alignment), and the
 * next export may differ again. A wrong layout gives wrong tokens without any error. The operators only
 * say which layout to try first.
 *
 * <p>The probe: a short prompt S and a longer one L, each generated alone (greedy, every step's logits
 * kept); then (1) S and L prefilled together and decoded one step, padded as the layout pads; (2) S
 * running, L joining it after one step (S padded to L's length, L's keys and values placed beside S's), one step
 * together, L leaving (the slots only L needed trimmed), S one more step alone. Every step's logits of
 * each row must equal its alone logits within {@link #TOLERANCE} of their range, and every token must
 * be the same. 13 forward passes of a handful of tokens.
 *
 * <p>The candidates, in order: for {@code GroupQueryAttention} right-aligned rows with keys and values
 * written in place, then copied, then left padding; for other fused attention right-aligned then left;
 * without fused attention left padding then right-aligned. The first that holds is taken. If none
 * holds, rows of one length only run together ({@link BatchLayout#EQUAL_LENGTHS}, no padding) if two
 * such rows reproduce themselves alone, else one row at a time ({@link BatchLayout#SINGLE_ROWS}).
 */
final class LayoutProbe {
    private static final Logger log = LoggerFactory.getLogger(LayoutProbe.class);
    /**
     * Largest difference allowed between a row's logits in a batch and alone, as a share of the range of
     * its alone logits. Batching changes the order of float sums (and which kernel runs), moving logits
     * by about 1e-6 of their range in fp32 and 1e-3 with int8 activations; a wrong layout attends to the
     * wrong keys and moves them by tenths.
     */
    static final double TOLERANCE = 0.02;

    private static final String SHORT = "Rivers carry ships.";
    private static final String LONG = "A longer note about harbours, cranes, ships and the goods they carry between the cities.";

    private LayoutProbe() {
    }

    /**
     * @param fusedAttention the graph's attention operator that reads row lengths from the mask
     *                       (e.g. {@code GroupQueryAttention}), or null when it has none
     */
    static LayoutChoice choose(ModelSession session, GemmaTokenizer tokenizer, String fusedAttention) {
        long started = System.nanoTime();
        List<Candidate> candidates = fusedAttention == null
                ? List.of(new Candidate(BatchLayout.LEFT_PADDED, false), new Candidate(BatchLayout.RIGHT_ALIGNED, false))
                : "GroupQueryAttention".equals(fusedAttention)
                ? List.of(new Candidate(BatchLayout.RIGHT_ALIGNED, true), new Candidate(BatchLayout.RIGHT_ALIGNED, false),
                        new Candidate(BatchLayout.LEFT_PADDED, false))
                : List.of(new Candidate(BatchLayout.RIGHT_ALIGNED, false), new Candidate(BatchLayout.LEFT_PADDED, false));
        String why = fusedAttention != null ? "the graph's " + fusedAttention + " reads each row's length from the mask"
                : "the graph's attention reads the mask slot by slot (no fused attention operator)";
        Probe probe = new Probe(session, tokenizer);
        List<String> failed = new ArrayList<>();
        for (Candidate c : candidates) {
            Outcome o = probe.check(c.layout(), c.inPlace());
            if (o.exact()) {
                String found = failed.isEmpty() ? "; batched and joined rows reproduce them alone"
                        : ", but " + String.join("; ", failed) + "; " + c + " reproduces rows alone";
                return new LayoutChoice(c.layout(), c.inPlace(), why + found + (c.inPlace() ? "; keys and values written in place" : ""),
                        o.worst(), millis(started));
            }
            failed.add(c + " does not (" + o.detail() + ")");
        }
        String neither = "no padded layout reproduces a row alone (" + String.join("; ", failed) + ")";
        Outcome equal = probe.check(BatchLayout.EQUAL_LENGTHS, false);
        LayoutChoice choice = equal.exact()
                ? new LayoutChoice(BatchLayout.EQUAL_LENGTHS, false, neither + ": only prompts of one length run together", equal.worst(),
                        millis(started))
                : new LayoutChoice(BatchLayout.SINGLE_ROWS, false, neither + ", and rows of one length change each other too ("
                        + equal.detail() + "): one row at a time", Double.NaN, millis(started));
        log.warn("{} {}: {}", session.config().modelType(), session.decoderGraph().getFileName(), choice.reason());
        return choice;
    }

    /** A way to batch the graph: a layout, and whether keys and values are written in place. */
    record Candidate(BatchLayout layout, boolean inPlace) {
        @Override
        public String toString() {
            return name(layout) + (inPlace ? " in place" : "");
        }
    }

    private static String name(BatchLayout layout) {
        return layout.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static long millis(long started) {
        return (System.nanoTime() - started) / 1_000_000;
    }

    /** Whether a layout reproduced every step, the worst difference seen, and what went wrong. */
    record Outcome(boolean exact, double worst, String detail) {
    }

    /**
     * The probe prompts and their alone logits (computed once, on first use): S four tokens, L two, and
     * for the equal-length check E, L cut to S's length, two.
     */
    static final class Probe {
        private final ModelSession session;
        private final GemmaTokenizer tokenizer;
        private final long[] shortIds;
        private final long[] longIds;
        private final long[] equalIds;
        private final Map<String, List<float[]>> alone = new java.util.HashMap<>();

        Probe(ModelSession session, GemmaTokenizer tokenizer) {
            this.session = session;
            this.tokenizer = tokenizer;
            this.shortIds = tokenizer.encode("<bos>" + SHORT);
            this.longIds = tokenizer.encode("<bos>" + LONG);
            this.equalIds = java.util.Arrays.copyOf(longIds, shortIds.length);
        }

        private static GenerationRequest request(long[] ids, int tokens) {
            return new GenerationRequest(ids, tokens, SamplingParams.GREEDY, false);
        }

        /** The logits of every step of {@code ids} generated alone, {@code tokens} tokens. */
        private List<float[]> alone(String name, long[] ids, int tokens) {
            return alone.computeIfAbsent(name, k -> {
                ContinuousDecoder decoder = new ContinuousDecoder(session, BatchLayout.SINGLE_ROWS, false, tokenizer, r -> { }, -1);
                List<float[]> steps = new ArrayList<>();
                decoder.run(new StaticBatch(List.of(request(ids, tokens)), TokenListener.NONE),
                        (r, t, logits, offset) -> steps.add(copy(logits, offset, session.vocab())));
                return steps;
            });
        }

        /** Runs the layout's batches and compares each row's logits with its alone logits, step by step. */
        Outcome check(BatchLayout layout, boolean inPlace) {
            ContinuousDecoder decoder = new ContinuousDecoder(session, layout, inPlace, tokenizer, r -> { }, -1);
            Comparison c = new Comparison(session.vocab());
            try {
                if (layout.mixesLengths()) {
                    // (1) prefilled together, one step
                    StaticBatch together = new StaticBatch(List.of(request(shortIds, 2), request(longIds, 2)), TokenListener.NONE);
                    c.expect(together.rows().get(0), "together: short", alone("short", shortIds, 4));
                    c.expect(together.rows().get(1), "together: long", alone("long", longIds, 2));
                    decoder.run(together, c);
                    // (2) the long prompt joins the short one after a step, leaves, the short one goes on
                    GenerationRequest s = request(shortIds, 4);
                    GenerationRequest l = request(longIds, 2);
                    c.expect(s, "joined: short", alone("short", shortIds, 4));
                    c.expect(l, "joined: long", alone("long", longIds, 2));
                    decoder.run(ScriptedFeed.oneAStep(List.of(s, l)), c);
                } else {
                    // two prompts of one length, prefilled together, one step
                    StaticBatch together = new StaticBatch(List.of(request(shortIds, 2), request(equalIds, 2)), TokenListener.NONE);
                    c.expect(together.rows().get(0), "equal lengths: first", alone("short", shortIds, 4));
                    c.expect(together.rows().get(1), "equal lengths: second", alone("equal", equalIds, 2));
                    decoder.run(together, c);
                }
            } catch (RuntimeException e) {
                // A graph may refuse a layout outright (a kernel that rejects a mask it cannot read).
                return new Outcome(false, Double.NaN, "the graph refused it: " + e.getMessage());
            }
            return new Outcome(c.failure == null, c.worst, c.failure == null ? "" : c.failure);
        }
    }

    private static float[] copy(float[] logits, int offset, int vocab) {
        float[] row = new float[vocab];
        System.arraycopy(logits, offset, row, 0, vocab);
        return row;
    }

    /** Compares each row's logits with what the same prompt gave alone, step by step. */
    private static final class Comparison implements ContinuousDecoder.LogitsTap {
        private final int vocab;
        private final Map<GenerationRequest, String> names = new IdentityHashMap<>();
        private final Map<GenerationRequest, List<float[]>> expected = new IdentityHashMap<>();
        double worst;
        String failure;

        Comparison(int vocab) {
            this.vocab = vocab;
        }

        void expect(GenerationRequest request, String name, List<float[]> steps) {
            names.put(request, name);
            expected.put(request, steps);
        }

        @Override
        public void logits(GenerationRequest request, int token, float[] logits, int offset) {
            float[] want = expected.get(request).get(token);
            double min = Double.MAX_VALUE;
            double max = -Double.MAX_VALUE;
            double diff = 0;
            int wantBest = 0;
            int gotBest = 0;
            for (int i = 0; i < vocab; i++) {
                min = Math.min(min, want[i]);
                max = Math.max(max, want[i]);
                diff = Math.max(diff, Math.abs(want[i] - logits[offset + i]));
                if (want[i] > want[wantBest]) wantBest = i;
                if (logits[offset + i] > logits[offset + gotBest]) gotBest = i;
            }
            double relative = diff / Math.max(max - min, 1e-6);
            worst = Math.max(worst, relative);
            if (failure == null && (relative > TOLERANCE || wantBest != gotBest)) {
                failure = String.format(Locale.ROOT, "%s, token %d: logits differ by %.3g of their range%s", names.get(request),
                        token, relative, wantBest != gotBest ? ", another token chosen" : "");
            }
        }
    }
}
