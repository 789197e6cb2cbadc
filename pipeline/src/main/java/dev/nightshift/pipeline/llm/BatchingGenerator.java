package dev.nightshift.pipeline.llm;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * One generator for every document of a run: requests from all documents (chunk summaries, combine
 * steps once their inputs exist, translation pieces) wait in one queue, and a single worker thread that
 * owns the engine runs them as batches. An archive of short documents thus runs at full batch width,
 * where a task batching its own document's chunks would run at one row.
 *
 * <pre>
 * document tasks (many threads) --submit--> pending --worker: take a batch--> engine.generate --> futures
 * </pre>
 *
 * <p>A batch is formed from the oldest waiting request (no request waits for ever) and the waiting
 * requests of most similar prompt length (left-padding costs attention at every step), up to
 * {@code maxBatch} rows and up to the KV budget: rows x (longest prompt + most new tokens) x
 * {@link GemmaEngine#kvBytesPerToken()} must stay within {@code kvBudgetBytes}. Rows that finish early
 * leave the running batch (the engine drops their keys and values); a request that arrives while a
 * batch runs waits for the next one: newcomers do not join a running batch.
 *
 * <p>Identical greedy requests (two documents in flight with the same chunk, which the result cache
 * cannot catch before either is stored) are generated once: the second gets the first's result marked
 * {@link GenerationResult#reused()}.
 *
 * <p>A batch that fails is run again row by row, so one bad request (an engine error on its input)
 * fails only the document that asked for it. A cancelled generation (the run is stopping) fails every
 * request of its batch with {@link GenerationCancelledException}.
 */
public final class BatchingGenerator implements Generator, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BatchingGenerator.class);

    /**
     * When fewer than a full batch are waiting, the worker waits for more while they keep coming: until
     * none has arrived for {@link #QUIET_MILLIS}, and {@link #MAX_LINGER_MILLIS} at most. Documents arrive
     * at the pace of extraction (tens a second) and each brings its requests at once, so a short quiet
     * period catches the flow; a batch then runs for seconds, which dwarfs the wait.
     */
    static final long QUIET_MILLIS = 60;
    static final long MAX_LINGER_MILLIS = 300;

    private record Pending(GenerationRequest request, CompletableFuture<GenerationResult> result, long order) {
        int length() {
            return request.promptIds().length;
        }

        long tokens() {
            return (long) request.promptIds().length + request.maxNewTokens();
        }
    }

    private final GemmaEngine engine;
    private final int maxBatch;
    private final long kvBudgetBytes;
    private final List<Pending> pending = new ArrayList<>();
    /** Greedy requests waiting or running, by what they ask: an identical one shares the result. */
    private final java.util.Map<Key, CompletableFuture<GenerationResult>> inFlight = new java.util.HashMap<>();

    private record Key(List<Long> prompt, int maxNewTokens, boolean stopAtEos) {
        static Key of(GenerationRequest r) {
            return r.sampling().greedy()
                    ? new Key(java.util.Arrays.stream(r.promptIds()).boxed().toList(), r.maxNewTokens(), r.stopAtEos()) : null;
        }
    }
    private final Thread worker;
    private long submitted;
    private long lastArrivalMillis;
    private boolean closed;
    /** Rows generated and batches run, for the run's summary and the benchmark. */
    private long rows;
    private long batches;

    /**
     * @param maxBatch      most rows in one batch
     * @param kvBudgetBytes most bytes the batch's keys and values may take (a lone request always runs)
     */
    public BatchingGenerator(GemmaEngine engine, int maxBatch, long kvBudgetBytes) {
        this.engine = engine;
        this.maxBatch = Math.max(1, maxBatch);
        this.kvBudgetBytes = kvBudgetBytes;
        this.worker = new Thread(this::work, "generate");
        this.worker.setDaemon(true);
        this.worker.start();
    }

    public int maxBatch() {
        return maxBatch;
    }

    @Override
    public List<GenerationResult> generate(List<GenerationRequest> requests) {
        List<CompletableFuture<GenerationResult>> futures = new ArrayList<>(requests.size());
        synchronized (this) {
            if (closed) throw new IllegalStateException("the generator is closed");
            for (GenerationRequest r : requests) {
                Key key = Key.of(r);
                CompletableFuture<GenerationResult> same = key == null ? null : inFlight.get(key);
                if (same != null) {
                    futures.add(same.thenApply(GenerationResult::asReused));
                    continue;
                }
                CompletableFuture<GenerationResult> f = new CompletableFuture<>();
                if (key != null) {
                    inFlight.put(key, f);
                    f.whenComplete((result, error) -> forget(key, f));
                }
                pending.add(new Pending(r, f, submitted++));
                futures.add(f);
            }
            lastArrivalMillis = System.currentTimeMillis();
            notifyAll();
        }
        List<GenerationResult> results = new ArrayList<>(requests.size());
        try {
            for (CompletableFuture<GenerationResult> f : futures) results.add(f.get());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GenerationCancelledException();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) throw r;
            throw new ModelException("generation failed: " + cause, cause);
        }
        return results;
    }

    private void work() {
        try {
            while (true) {
                List<Pending> batch = nextBatch();
                if (batch == null) return;
                run(batch);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            failAll(new GenerationCancelledException());
        }
    }

    /** Waits for requests, lingers briefly for a fuller batch, then takes one; null once closed. */
    private synchronized List<Pending> nextBatch() throws InterruptedException {
        while (pending.isEmpty() && !closed) wait();
        if (pending.isEmpty()) return null;
        long deadline = System.currentTimeMillis() + MAX_LINGER_MILLIS;
        while (pending.size() < maxBatch && !closed) {
            long now = System.currentTimeMillis();
            long left = Math.min(deadline, lastArrivalMillis + QUIET_MILLIS) - now;
            if (left <= 0) break;
            wait(left);
        }
        Pending oldest = pending.get(0);
        for (Pending p : pending) if (p.order() < oldest.order()) oldest = p;
        List<Pending> candidates = new ArrayList<>(pending);
        candidates.remove(oldest);
        int anchor = oldest.length();
        candidates.sort((a, b) -> Integer.compare(Math.abs(a.length() - anchor), Math.abs(b.length() - anchor)));
        List<Pending> batch = new ArrayList<>();
        batch.add(oldest);
        int shortest = anchor;
        int longest = anchor;
        long mostTokens = oldest.tokens();
        long perToken = engine.kvBytesPerToken();
        for (Pending p : candidates) {
            if (batch.size() == maxBatch) break;
            int s = Math.min(shortest, p.length());
            int l = Math.max(longest, p.length());
            if (!LengthBatches.similar(s, l)) continue;
            long tokens = Math.max(mostTokens, p.tokens());
            if ((batch.size() + 1) * tokens * perToken > kvBudgetBytes) continue;
            batch.add(p);
            shortest = s;
            longest = l;
            mostTokens = tokens;
        }
        pending.removeAll(batch);
        return batch;
    }

    private void run(List<Pending> batch) {
        List<GenerationRequest> requests = batch.stream().map(Pending::request).toList();
        if (log.isDebugEnabled()) {
            log.debug("batch of {} rows, prompts {} tokens, {} waiting", batch.size(),
                    batch.stream().map(p -> Integer.toString(p.length())).toList(), waiting());
        }
        try {
            List<GenerationResult> results = engine.generate(requests);
            count(batch.size()); // before the callers wake up, so what they read of the counts includes their batch
            for (int i = 0; i < batch.size(); i++) batch.get(i).result().complete(results.get(i));
        } catch (GenerationCancelledException e) {
            batch.forEach(p -> p.result().completeExceptionally(e));
        } catch (RuntimeException e) {
            if (batch.size() == 1) {
                batch.get(0).result().completeExceptionally(e);
                return;
            }
            log.warn("a batch of {} failed ({}); generating its rows one by one", batch.size(), e.toString());
            for (Pending p : batch) run(List.of(p));
        }
    }

    private synchronized void forget(Key key, CompletableFuture<GenerationResult> f) {
        inFlight.remove(key, f);
    }

    private synchronized int waiting() {
        return pending.size();
    }

    private synchronized void count(int batchRows) {
        rows += batchRows;
        batches++;
    }

    /** Mean rows per batch so far (how full the batches were). */
    public synchronized double meanBatch() {
        return batches == 0 ? 0 : (double) rows / batches;
    }

    private synchronized void failAll(RuntimeException e) {
        for (Pending p : pending) p.result().completeExceptionally(e);
        pending.clear();
    }

    /** Stops the worker once the requests already waiting are done (a stopping run cancels them through the engine). */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            notifyAll();
            log.info("generated {} rows in {} batches (mean {} rows a batch, at most {})", rows, batches,
                    String.format(java.util.Locale.ROOT, "%.2f", meanBatch()), maxBatch);
        }
        try {
            worker.join(60_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
