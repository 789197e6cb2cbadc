package dev.nightshift.pipeline.llm;

import ai.onnxruntime.OrtException;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs prompts through the graph into a cache of their own, laid out as the batch layout says: ids and
 * positions [rows, length] (positions count each row's own tokens from 0; padded slots get 1), the mask
 * marking each row's real slots. Leaves each row's logits at its last prompt token in
 * {@code logits} [rows, vocab].
 *
 * <p>A graph that returns logits for every position is run in slices small enough that
 * [rows, slice, vocab] fits {@link #LOGITS_BUDGET}; one patched to return each row's last position
 * ({@code LastPositionPatch}) runs the whole prompt at once.
 */
final class Prefill {
    /** Most logits floats one pass may produce: [rows, kept positions, vocab] stays under 128 MiB. */
    static final long LOGITS_BUDGET = 32L << 20;

    /** The prompts' cache, and how long it took. */
    record Result(KvCache cache, long nanos) {
    }

    private Prefill() {
    }

    /**
     * @param imageTokenId the id whose embeddings image features replace, or -1 for a model without vision
     */
    static Result run(ModelSession session, BatchLayout layout, List<GenerationRequest> requests, float[] logits,
                      long imageTokenId) throws OrtException {
        long started = System.nanoTime();
        KvCache cache = session.newCache(requests.size());
        try {
            slices(session, layout, requests, logits, imageTokenId, cache);
        } catch (OrtException | RuntimeException e) {
            cache.close();
            throw e;
        }
        return new Result(cache, System.nanoTime() - started);
    }

    private static void slices(ModelSession session, BatchLayout layout, List<GenerationRequest> requests, float[] logits,
                               long imageTokenId, KvCache cache) throws OrtException {
        int rows = requests.size();
        int length = requests.stream().mapToInt(r -> r.promptIds().length).max().orElseThrow();
        int pad = session.config().padId();
        int[] start = new int[rows];
        for (int b = 0; b < rows; b++) start[b] = layout.start(requests.get(b).promptIds().length, length);
        long[] mask = new long[rows * length];
        for (int b = 0; b < rows; b++) {
            java.util.Arrays.fill(mask, b * length + start[b], b * length + start[b] + requests.get(b).promptIds().length, 1);
        }
        int slice = session.logitPositions() == ModelSession.LogitPositions.ALL
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
                last[b] = Math.min(size - 1, start[b] + prompt.length - 1 - from);
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
