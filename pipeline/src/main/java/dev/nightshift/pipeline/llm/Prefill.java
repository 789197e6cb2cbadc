package dev.nightshift.pipeline.llm;

import ai.onnxruntime.OrtException;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs prompts through the graph as new rows of a batch, laid out as the batch layout says: ids and
 * positions [rows, length] (positions count each row's own tokens from 0; padded slots get 1), the mask
 * marking each row's real slots. Leaves each row's logits at its last prompt token in
 * {@code logits} [rows, vocab]. Where the rows' keys and values go is the caller's ({@link Rows}): a new
 * cache of their own, or their rows of an in-place arena.
 *
 * <p>A graph patched to return each row's last position ({@code LastPositionPatch}) runs the whole
 * prompt at once. One that returns logits for every position would make [rows, length, vocab] of them:
 * left-padded rows are run in slices small enough that each slice's logits fit {@link #LOGITS_BUDGET}
 * (every row ends in the last slice). Right-aligned rows cannot be sliced (a fused attention kernel
 * assumes every new position of a later slice is real), so when their logits would not fit, each row
 * is prefilled alone.
 */
final class Prefill {
    /** Most logits floats one pass may produce: [rows, kept positions, vocab] stays under 128 MiB. */
    static final long LOGITS_BUDGET = 32L << 20;

    /** Where the keys and values of prefilled rows go. */
    interface Rows {
        /** The state a pass over requests [first, first + count) runs into, with an empty past. */
        KvState open(int first, int count) throws OrtException;

        /** The rows opened last are prefilled (or failed: {@code ok} false). */
        void close(KvState rows, boolean ok);
    }

    private Prefill() {
    }

    /** A cache of the requests' own, made by one {@link #run}. */
    static KvCache ownCache(ModelSession session, BatchLayout layout, List<GenerationRequest> requests, float[] logits,
                            long imageTokenId) throws OrtException {
        List<KvCache> made = new ArrayList<>();
        try {
            run(session, layout, requests, logits, imageTokenId, new Rows() {
                @Override
                public KvState open(int first, int count) throws OrtException {
                    KvCache cache = session.newCache(count);
                    made.add(cache);
                    return cache;
                }

                @Override
                public void close(KvState rows, boolean ok) {
                }
            });
            KvCache joined = made.get(0);
            for (int i = 1; i < made.size(); i++) joined.join(session.env(), made.get(i), layout.alignsEnds());
            return joined;
        } catch (OrtException | RuntimeException e) {
            made.forEach(KvCache::close);
            throw e;
        }
    }

    /**
     * @param imageTokenId the id whose embeddings image features replace, or -1 for a model without vision
     * @return how long it took, in nanoseconds
     */
    static long run(ModelSession session, BatchLayout layout, List<GenerationRequest> requests, float[] logits,
                    long imageTokenId, Rows into) throws OrtException {
        long started = System.nanoTime();
        if (onePassOrSlices(session, layout, requests)) {
            into(session, layout, requests, logits, imageTokenId, into, 0);
        } else {
            int vocab = session.vocab();
            float[] own = new float[vocab];
            for (int i = 0; i < requests.size(); i++) {
                into(session, layout, List.of(requests.get(i)), own, imageTokenId, into, i);
                System.arraycopy(own, 0, logits, i * vocab, vocab);
            }
        }
        return System.nanoTime() - started;
    }

    /** True when the rows can be run together: in one pass whose logits fit the budget, or in slices. */
    private static boolean onePassOrSlices(ModelSession session, BatchLayout layout, List<GenerationRequest> requests) {
        if (requests.size() == 1 || layout.alignsEnds()) return true;
        int length = requests.stream().mapToInt(r -> r.promptIds().length).max().orElseThrow();
        int[] last = requests.stream().mapToInt(r -> layout.start(r.promptIds().length, length) + r.promptIds().length - 1).toArray();
        return (long) requests.size() * session.keptPositions(length, last) * session.vocab() <= LOGITS_BUDGET;
    }

    private static void into(ModelSession session, BatchLayout layout, List<GenerationRequest> requests, float[] logits,
                             long imageTokenId, Rows into, int first) throws OrtException {
        KvState rows = into.open(first, requests.size());
        boolean ok = false;
        try {
            slices(session, layout, requests, logits, imageTokenId, rows);
            ok = true;
        } finally {
            into.close(rows, ok);
        }
    }

    private static void slices(ModelSession session, BatchLayout layout, List<GenerationRequest> requests, float[] logits,
                               long imageTokenId, KvState cache) throws OrtException {
        int rows = requests.size();
        int length = requests.stream().mapToInt(r -> r.promptIds().length).max().orElseThrow();
        int pad = session.config().padId();
        int[] start = new int[rows];
        for (int b = 0; b < rows; b++) start[b] = layout.start(requests.get(b).promptIds().length, length);
        long[] mask = new long[rows * length];
        for (int b = 0; b < rows; b++) {
            java.util.Arrays.fill(mask, b * length + start[b], b * length + start[b] + requests.get(b).promptIds().length, 1);
        }
        int slice = session.logitPositions() == ModelSession.LogitPositions.ALL && (layout.alignsEnds() || rows == 1)
                ? (int) Math.max(1, Math.min(length, LOGITS_BUDGET / ((long) rows * session.vocab()))) : length;
        // Each row's next image-feature row: image tokens take the encoder's rows in order, across slices.
        int[] nextFeature = new int[rows];
        for (int from = 0; from < length; from += slice) {
            int size = Math.min(slice, length - from);
            long[] ids = new long[rows * size];
            long[] positions = new long[rows * size];
            long[] sliceMask = new long[rows * (from + size)];
            int[] last = new int[rows];
            for (int b = 0; b < rows; b++) {
                long[] prompt = requests.get(b).promptIds();
                for (int t = from; t < from + size; t++) {
                    boolean real = t >= start[b] && t < start[b] + prompt.length;
                    ids[b * size + t - from] = real ? prompt[t - start[b]] : pad;
                    positions[b * size + t - from] = real ? t - start[b] : 1;
                }
                System.arraycopy(mask, b * length, sliceMask, b * (from + size), from + size);
                last[b] = Math.max(0, Math.min(size - 1, start[b] + prompt.length - 1 - from));
            }
            ModelSession.ImageRows images = imageTokenId < 0 ? null : imageRows(requests, ids, size, imageTokenId, nextFeature);
            session.run(cache, new ModelSession.Step(rows, size, ids, positions, sliceMask, from + size, last, images), logits);
        }
    }

    /** Where image features go in one slice, or null when none of its rows has an image token. */
    private static ModelSession.ImageRows imageRows(List<GenerationRequest> requests, long[] ids, int size, long imageTokenId,
                                                    int[] nextFeature) {
        if (requests.stream().allMatch(r -> r.images() == null)) return null;
        List<Integer> targets = new ArrayList<>();
        List<ImageFeatures> sources = new ArrayList<>();
        List<Integer> featureRows = new ArrayList<>();
        for (int b = 0; b < requests.size(); b++) {
            ImageFeatures f = requests.get(b).images();
            if (f == null) continue;
            for (int t = 0; t < size; t++) {
                // Padding is the pad id, never the image token, so only the row's own tokens match.
                if (ids[b * size + t] != imageTokenId) continue;
                targets.add(b * size + t);
                sources.add(f);
                featureRows.add(nextFeature[b]++);
            }
        }
        return targets.isEmpty() ? null : new ModelSession.ImageRows(targets.stream().mapToInt(Integer::intValue).toArray(),
                sources.toArray(ImageFeatures[]::new), featureRows.stream().mapToInt(Integer::intValue).toArray());
    }
}
