package dev.nightshift.pipeline.llm;

import ai.onnxruntime.OrtException;
import dev.nightshift.pipeline.llm.model.GemmaTokenizer;
import dev.nightshift.pipeline.llm.model.ModelException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Continuous batching over one {@link ModelSession}: requests join the running batch between decoding
 * steps (prefilled together, then their keys and values joined to the batch cache where the
 * {@link BatchLayout} puts them), and a row leaves the batch as soon as it finishes, its result handed
 * to the feed at once. So a batch never waits for its slowest row, and a request never waits for a
 * batch to end. A static batch is the case where every request joins at the first step
 * ({@link StaticBatch}).
 *
 * <pre>
 * loop: join newcomers (prefill, first token) -> no rows left? return
 *       one step for every row (its last token at its own next position) -> sample -> finished rows leave
 * </pre>
 *
 * <p>Greedy tokens are the same as generating each request alone: every row keeps its own positions,
 * the layout masks padding, and rows do not otherwise meet. Under {@link BatchLayout#EQUAL_LENGTHS}
 * (a graph no padded layout reproduces) requests wait in the decoder until the batch is empty, and then
 * those of one prompt length run together; under {@link BatchLayout#SINGLE_ROWS}, one at a time. Each row is charged its own share of its
 * prefill (by prompt tokens) and an equal share of every step it ran in.
 */
final class ContinuousDecoder {
    private static final Logger log = LoggerFactory.getLogger(ContinuousDecoder.class);

    private final ModelSession session;
    private final BatchLayout layout;
    /** Keys and values written in place by the graph ({@link BatchKv.InPlace}) rather than copied from step to step. */
    private final boolean inPlace;
    private final GemmaTokenizer tokenizer;
    private final Consumer<GenerationRequest> check;
    private final long imageTokenId;
    private final Set<Integer> eos;
    private final int vocab;

    /**
     * @param inPlace      the graph writes keys and values into buffers it is given (fused attention, right-aligned)
     * @param check        throws for a request the model cannot serve (the feed is told, the others go on)
     * @param imageTokenId the id image features replace, or -1 for a model without vision
     */
    ContinuousDecoder(ModelSession session, BatchLayout layout, boolean inPlace, GemmaTokenizer tokenizer,
                      Consumer<GenerationRequest> check, long imageTokenId) {
        if (inPlace && layout != BatchLayout.RIGHT_ALIGNED) throw new IllegalArgumentException("keys and values in place need right-aligned rows");
        this.session = session;
        this.layout = layout;
        this.inPlace = inPlace;
        this.tokenizer = tokenizer;
        this.check = check;
        this.imageTokenId = imageTokenId;
        this.eos = session.config().eosIds();
        this.vocab = session.vocab();
    }

    /** One row of the batch. */
    private static final class Row {
        final GenerationRequest request;
        final Sampler sampler;
        /** Where the row's output stands in its request's constraint, or null when any token may come. */
        final TokenConstraint.Cursor cursor;
        final int[] generated;
        int count;
        /** This row's tokens in the batch cache, which is also the position of its next token. */
        long cached;
        long prefillNanos;
        long decodeNanos;
        long share;
        FinishReason reason;

        Row(GenerationRequest request) {
            this.request = request;
            this.sampler = Sampler.of(request.sampling());
            this.cursor = request.constraint() == null ? null : request.constraint().start();
            this.generated = new int[request.maxNewTokens()];
            this.cached = request.promptIds().length;
        }

        /** Takes a sampled token; true when the row is finished with it ({@code complete}: its constraint says so). */
        boolean add(int token, Set<Integer> eos, boolean complete) {
            generated[count++] = token;
            if (complete || request.stopAtEos() && eos.contains(token)) reason = FinishReason.STOP;
            else if (count == request.maxNewTokens()) reason = FinishReason.LENGTH;
            return reason != null;
        }
    }

    /** The running batch: its rows, in the order of the cache's rows, and where their keys and values are. */
    private final class Batch implements AutoCloseable {
        List<Row> rows = new ArrayList<>();
        /** Requests taken from the feed that wait for a batch of their length (equal lengths only). */
        final List<Row> waiting = new ArrayList<>();
        final BatchKv kv = inPlace ? new BatchKv.InPlace(session, arena(), imageTokenId) : new BatchKv.Copied(session, layout, imageTokenId);
        float[] logits = new float[vocab];
        long prefillTime;
        long leaveTime;
        long stepTime;

        long width() {
            return kv.width();
        }

        float[] logits(int rows) {
            if (logits.length < rows * vocab) logits = new float[rows * vocab];
            return logits;
        }

        /** The rows marked in {@code leaving} leave; the others stay, in the order the keys and values now have. */
        void leave(boolean[] leaving) throws OrtException {
            long started = System.nanoTime();
            int[] order = kv.leave(leaving, cached(rows));
            List<Row> kept = new ArrayList<>(order.length);
            for (int i : order) kept.add(rows.get(i));
            rows = kept;
            leaveTime += System.nanoTime() - started;
        }

        @Override
        public void close() {
            kv.close();
        }
    }

    /** In-place keys and values, kept from batch to batch; made on first use. */
    private KvArena arena;

    private KvArena arena() {
        if (arena == null) arena = new KvArena(session.env(), session.kv());
        return arena;
    }

    /** Sees each row's logits before its token is chosen from them (for {@code LayoutProbe}). */
    @FunctionalInterface
    interface LogitsTap {
        LogitsTap NONE = (request, token, logits, offset) -> { };

        /** @param token how many tokens the row had generated before these logits ([offset, offset + vocab)) */
        void logits(GenerationRequest request, int token, float[] logits, int offset);
    }

    private LogitsTap tap = LogitsTap.NONE;

    /**
     * Runs until no row is running and the feed has nothing to join.
     *
     * @throws GenerationCancelledException when the run is stopping; rows in flight are not handed back
     * @throws ModelException               when ONNX Runtime fails
     */
    void run(GemmaEngine.Feed feed) {
        run(feed, LogitsTap.NONE);
    }

    /** As {@link #run(GemmaEngine.Feed)}, showing {@code tap} every row's logits. */
    void run(GemmaEngine.Feed feed, LogitsTap tap) {
        this.tap = tap;
        try (Batch batch = new Batch()) {
            while (true) {
                join(batch, feed);
                if (batch.rows.isEmpty() && !batch.waiting.isEmpty()) continue;
                if (batch.rows.isEmpty()) {
                    log.debug("batch drained: prefill and joins {} ms, leaves {} ms, steps {} ms", batch.prefillTime / 1_000_000,
                            batch.leaveTime / 1_000_000, batch.stepTime / 1_000_000);
                    return;
                }
                step(batch, feed);
            }
        } catch (OrtException e) {
            throw new ModelException("ONNX Runtime failed: " + e.getMessage(), e);
        }
    }

    /** Prefills the feed's newcomers together, takes their first tokens, and joins the unfinished ones to the batch. */
    private void join(Batch batch, GemmaEngine.Feed feed) throws OrtException {
        List<Row> newcomers = new ArrayList<>();
        boolean open = layout.mixesLengths() || batch.rows.isEmpty();
        for (GenerationRequest r : open ? feed.join(batch.rows.size(), batch.width()) : List.<GenerationRequest>of()) {
            try {
                check.accept(r);
                newcomers.add(new Row(r));
            } catch (RuntimeException e) {
                feed.failed(r, e);
            }
        }
        if (!layout.mixesLengths()) {
            batch.waiting.addAll(newcomers);
            newcomers = batch.rows.isEmpty() ? oneLength(batch.waiting) : List.of();
        }
        if (newcomers.isEmpty()) return;
        int k = newcomers.size();
        float[] logits = batch.logits(k);
        long nanos = batch.kv.prefill(newcomers.stream().map(r -> r.request).toList(), logits);
        batch.prefillTime += nanos;
        if (log.isTraceEnabled()) log.trace("join: {} newcomers of {} tokens at most, {} rows running, {} ms", k,
                newcomers.stream().mapToInt(r -> r.request.promptIds().length).max().orElse(0), batch.rows.size(), nanos / 1_000_000);
        long promptTokens = newcomers.stream().mapToLong(r -> r.request.promptIds().length).sum();
        int first = batch.rows.size();
        batch.rows.addAll(newcomers);
        boolean[] leaving = new boolean[batch.rows.size()];
        boolean any = false;
        for (int i = 0; i < k; i++) {
            Row row = newcomers.get(i);
            row.prefillNanos = nanos;
            row.share = nanos * row.request.promptIds().length / promptTokens;
            leaving[first + i] = take(row, logits, i, feed);
            any |= leaving[first + i];
        }
        if (any) batch.leave(leaving);
    }

    /**
     * The oldest waiting row and every other of its prompt length (only the oldest for
     * {@link BatchLayout#SINGLE_ROWS}), taken out of {@code waiting}.
     */
    private List<Row> oneLength(List<Row> waiting) {
        if (waiting.isEmpty()) return List.of();
        int length = waiting.get(0).request.promptIds().length;
        List<Row> group = layout == BatchLayout.SINGLE_ROWS ? List.of(waiting.get(0))
                : waiting.stream().filter(r -> r.request.promptIds().length == length).toList();
        waiting.removeAll(group);
        return group;
    }

    /** One decoding step: every row feeds its last token at its own next position; finished rows leave. */
    private void step(Batch batch, GemmaEngine.Feed feed) throws OrtException {
        List<Row> rows = batch.rows;
        int n = rows.size();
        float[] logits = batch.logits(n);
        long[] ids = new long[n];
        long[] positions = new long[n];
        for (int i = 0; i < n; i++) {
            Row row = rows.get(i);
            ids[i] = row.generated[row.count - 1];
            positions[i] = row.cached;
        }
        int width = (int) batch.width();
        long[] mask = layout.decodeMask(cached(rows), width);
        long started = System.nanoTime();
        batch.kv.step(new ModelSession.Step(n, 1, ids, positions, mask, width + 1, new int[n], null), logits);
        long stepNanos = System.nanoTime() - started;
        batch.stepTime += stepNanos;
        if (log.isTraceEnabled()) log.trace("step: {} rows, width {}, {} ms", n, width + 1, stepNanos / 1_000_000);
        feed.stepped(n);

        boolean[] leaving = new boolean[n];
        boolean any = false;
        for (int i = 0; i < n; i++) {
            Row row = rows.get(i);
            row.cached++;
            row.decodeNanos += stepNanos;
            row.share += stepNanos / n;
            leaving[i] = take(row, logits, i, feed);
            any |= leaving[i];
        }
        if (any) batch.leave(leaving);
    }

    /**
     * Gives a row its next token, chosen from its logits at row {@code index} of {@code logits}; true when
     * the row is finished (its result handed to the feed).
     */
    private boolean take(Row row, float[] logits, int index, GemmaEngine.Feed feed) {
        tap.logits(row.request, row.count, logits, index * vocab);
        if (row.cursor != null) row.cursor.mask(logits, index * vocab, vocab, row.request.maxNewTokens() - row.count);
        int token = row.sampler.sample(logits, index * vocab, vocab);
        boolean finished = row.add(token, eos, row.cursor != null && row.cursor.advance(token));
        feed.token(row.request, token);
        if (finished) feed.done(row.request, result(row));
        return finished;
    }

    private GenerationResult result(Row row) {
        int[] tokens = Arrays.copyOf(row.generated, row.count);
        long[] asLong = Arrays.stream(tokens).asLongStream().toArray();
        return new GenerationResult(tokens, tokenizer.decode(asLong), row.reason, row.request.promptIds().length,
                row.prefillNanos, row.decodeNanos, row.share);
    }

    private static long[] cached(List<Row> rows) {
        return rows.stream().mapToLong(r -> r.cached).toArray();
    }
}
