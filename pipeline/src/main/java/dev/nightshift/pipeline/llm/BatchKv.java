package dev.nightshift.pipeline.llm;

import ai.onnxruntime.OrtException;

import java.util.Arrays;
import java.util.List;

/**
 * Where a running batch's keys and values live between decoding steps, in the decoder's row order: how
 * rows join (prefilled as the batch's next rows), step, and leave. Two kinds: {@link Copied} takes each
 * step's present tensors as the next past (any graph), {@link InPlace} lets a fused-attention graph write
 * into buffers of its own ({@link KvArena}).
 */
interface BatchKv extends AutoCloseable {
    /** The batch's width in slots: its past's length. */
    long width();

    /** Prefills {@code requests} as the batch's next rows; row i's logits at [i * vocab]; returns the nanoseconds taken. */
    long prefill(List<GenerationRequest> requests, float[] logits) throws OrtException;

    /** One decoding step over every row. */
    void step(ModelSession.Step step, float[] logits) throws OrtException;

    /**
     * The rows marked in {@code leaving} leave the batch; {@code cached} holds every row's tokens in the
     * cache. Returns the new row order: element j is the old index of the row now at j.
     */
    int[] leave(boolean[] leaving, long[] cached) throws OrtException;

    @Override
    void close();

    /** Presents become the next past; a join or a leave rebuilds the tensors (see {@link KvCache}). */
    final class Copied implements BatchKv {
        private final ModelSession session;
        private final BatchLayout layout;
        private final long imageTokenId;
        private KvCache cache;

        Copied(ModelSession session, BatchLayout layout, long imageTokenId) {
            this.session = session;
            this.layout = layout;
            this.imageTokenId = imageTokenId;
        }

        @Override
        public long width() {
            return cache == null ? 0 : cache.length();
        }

        @Override
        public long prefill(List<GenerationRequest> requests, float[] logits) throws OrtException {
            long started = System.nanoTime();
            KvCache own = Prefill.ownCache(session, layout, requests, logits, imageTokenId);
            if (cache == null) {
                cache = own;
            } else {
                try {
                    cache.join(session.env(), own, layout.alignsEnds());
                } catch (OrtException | RuntimeException e) {
                    own.close();
                    throw e;
                }
            }
            return System.nanoTime() - started;
        }

        @Override
        public void step(ModelSession.Step step, float[] logits) throws OrtException {
            session.run(cache, step, logits);
        }

        @Override
        public int[] leave(boolean[] leaving, long[] cached) throws OrtException {
            int[] keep = new int[leaving.length];
            int kept = 0;
            for (int i = 0; i < leaving.length; i++) if (!leaving[i]) keep[kept++] = i;
            keep = Arrays.copyOf(keep, kept);
            if (kept == 0) {
                close();
                return keep;
            }
            long[] remaining = new long[kept];
            for (int j = 0; j < kept; j++) remaining[j] = cached[keep[j]];
            // Slots that are padding for every remaining row go too: a late row's padding stops costing.
            int[] slots = layout.neededSlots(remaining, (int) cache.length());
            cache.keep(session.env(), keep, slots[0], slots[1]);
            return keep;
        }

        @Override
        public void close() {
            if (cache != null) cache.close();
            cache = null;
        }
    }

    /**
     * Right-aligned rows whose keys and values the graph writes in place: a row joins by being prefilled
     * into the arena's next rows, leaves by the last row moving into its place (one row copied, not the
     * batch), and a step writes one position per row.
     */
    final class InPlace implements BatchKv {
        private final ModelSession session;
        private final KvArena arena;
        private final long imageTokenId;
        private int rows;
        private long width;

        InPlace(ModelSession session, KvArena arena, long imageTokenId) {
            this.session = session;
            this.arena = arena;
            this.imageTokenId = imageTokenId;
        }

        @Override
        public long width() {
            return width;
        }

        @Override
        public long prefill(List<GenerationRequest> requests, float[] logits) throws OrtException {
            long started = System.nanoTime();
            // Room for every row's whole generation: its prompt and all its new tokens.
            int positions = requests.stream().mapToInt(r -> r.promptIds().length + r.maxNewTokens()).max().orElseThrow();
            arena.ensure(rows + requests.size(), Math.max(positions, arena.capacity()), rows);
            // Each newcomer alone, straight into its row: a prompt of a hundred tokens already keeps the
            // cores busy, and rows of different lengths prefilled together would compute their padding
            // (in place, a padded prefill measured 900 tokens/s against 1,300 for rows alone).
            int vocab = session.vocab();
            float[] own = requests.size() == 1 ? logits : new float[vocab];
            for (int i = 0; i < requests.size(); i++) {
                int row = rows + i;
                Prefill.run(session, BatchLayout.RIGHT_ALIGNED, List.of(requests.get(i)), own, imageTokenId, new Prefill.Rows() {
                    @Override
                    public KvState open(int from, int count) throws OrtException {
                        return arena.view(row + from, count, 0);
                    }

                    @Override
                    public void close(KvState view, boolean ok) {
                        ((KvArena.View) view).close();
                    }
                });
                if (own != logits) System.arraycopy(own, 0, logits, i * vocab, vocab);
            }
            rows += requests.size();
            width = Math.max(width, requests.stream().mapToInt(r -> r.promptIds().length).max().orElseThrow());
            return System.nanoTime() - started;
        }

        @Override
        public void step(ModelSession.Step step, float[] logits) throws OrtException {
            try (KvArena.View view = arena.view(0, rows, width)) {
                session.run(view, step, logits);
            }
            width = step.width();
        }

        @Override
        public int[] leave(boolean[] leaving, long[] cached) {
            int[] at = new int[leaving.length]; // at[j]: the old index of the row now in arena row j
            for (int j = 0; j < at.length; j++) at[j] = j;
            int end = at.length;
            for (int i = 0; i < end; i++) {
                if (!leaving[at[i]]) continue;
                while (end - 1 > i && leaving[at[end - 1]]) end--;
                if (end - 1 == i) {
                    end = i; // every row from here on leaves
                    break;
                }
                arena.move(end - 1, i, (int) cached[at[end - 1]]);
                at[i] = at[end - 1];
                end--;
            }
            rows = end;
            long most = 0;
            for (int j = 0; j < end; j++) most = Math.max(most, cached[at[j]]);
            width = most;
            return Arrays.copyOf(at, end);
        }

        /** The arena stays the decoder's, for the next batch. */
        @Override
        public void close() {
            rows = 0;
            width = 0;
        }
    }
}
