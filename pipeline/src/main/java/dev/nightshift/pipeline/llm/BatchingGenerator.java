package dev.nightshift.pipeline.llm;

import dev.nightshift.pipeline.llm.model.ModelException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * One generator for every document of a run: requests from all documents (chunk summaries, combine
 * steps once their inputs exist, translation pieces) wait in one queue, and a single worker thread that
 * owns the engine runs them with continuous batching ({@link GemmaEngine#generateContinuously}): between
 * decoding steps, waiting requests join the running batch (prefilled together, their keys and values
 * joined to the batch cache where the graph's {@link BatchLayout} puts them), and a row leaves as soon as it finishes, its document woken at once. An
 * archive of short documents thus keeps {@code maxBatch} rows busy, where a task batching its own
 * document's chunks would run at one row, and a batch never waits for its slowest row.
 *
 * <pre>
 * document tasks (many threads) --submit--> pending --join between steps--> engine (one thread) --> futures
 * </pre>
 *
 * <p>Requests join oldest first, up to {@code maxBatch} rows and the KV budget: rows x (batch length +
 * most new tokens) x {@link GemmaEngine#kvBytesPerToken()} must stay within {@code kvBudgetBytes}. A
 * request whose prompt is much longer than the running batch (more than a quarter plus 64 tokens) waits
 * for the batch to drain rather than pad every running row to its length.
 *
 * <p>Identical greedy requests (two documents in flight with the same chunk, which the result cache
 * cannot catch before either is stored) are generated once: the second gets the first's result marked
 * {@link GenerationResult#reused()}.
 *
 * <p>A request that cannot join (a prompt over the context) fails its caller only. An engine error fails
 * no one at once: the rows in flight are generated again one by one, so one bad request fails only the
 * document that asked for it. An {@link Error} in the worker stops the generator: every request in flight,
 * waiting or coming fails with {@link GeneratorFailedException} (callers never wait for ever). A cancelled generation (the run is stopping) fails every request in flight
 * with {@link GenerationCancelledException}.
 */
public final class BatchingGenerator implements Generator, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BatchingGenerator.class);

    private record Pending(GenerationRequest request, CompletableFuture<GenerationResult> result, long order) {
        int length() {
            return request.promptIds().length;
        }
    }

    private final GemmaEngine engine;
    private final int maxBatch;
    private final long kvBudgetBytes;
    private final List<Pending> pending = new ArrayList<>();
    /** Greedy requests waiting or running, by what they ask: an identical one shares the result. */
    private final java.util.Map<Key, CompletableFuture<GenerationResult>> inFlight = new java.util.HashMap<>();

    private record Key(List<Long> prompt, int maxNewTokens, boolean stopAtEos, TokenConstraint constraint) {
        static Key of(GenerationRequest r) {
            // Image prompts are never shared: their image tokens are all one id whatever the picture.
            // Constrained ones are, under the same constraint object (records compare it by identity).
            return r.sampling().greedy() && r.images() == null
                    ? new Key(java.util.Arrays.stream(r.promptIds()).boxed().toList(), r.maxNewTokens(), r.stopAtEos(), r.constraint()) : null;
        }
    }
    private final Thread worker;
    private long submitted;
    private boolean closed;
    /** Set when the worker met an Error and stopped: what every request fails with from then on. */
    private GeneratorFailedException broken;
    /** Rows of all decoding steps, the steps, and the widest step, for the run's log and the benchmark. */
    private long rows;
    private long batches;
    private int maxRows;

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
            if (broken != null) throw broken;
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
                synchronized (this) {
                    while (pending.isEmpty() && !closed) wait();
                    if (pending.isEmpty()) return;
                }
                List<Pending> inEngine = new ArrayList<>();
                try {
                    engine.generateContinuously(new Feed(inEngine));
                } catch (GenerationCancelledException e) {
                    inEngine.forEach(p -> p.result().completeExceptionally(e));
                } catch (RuntimeException e) {
                    log.warn("generation failed with {} rows in flight ({}); generating them one by one", inEngine.size(), e.toString());
                    for (Pending p : inEngine) alone(p);
                } catch (Error e) {
                    // Nothing can be trusted to run again: every caller, in flight or waiting, is told.
                    log.error("the generator stops", e);
                    GeneratorFailedException failure = new GeneratorFailedException(e);
                    inEngine.forEach(p -> p.result().completeExceptionally(failure));
                    synchronized (this) {
                        broken = failure;
                    }
                    failAll(failure);
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            failAll(new GenerationCancelledException());
        }
    }

    /** Hands waiting requests to the engine between its steps, and their results back to their callers. */
    private final class Feed implements GemmaEngine.Feed {
        private final List<Pending> inEngine;

        Feed(List<Pending> inEngine) {
            this.inEngine = inEngine;
        }

        @Override
        public List<GenerationRequest> join(int rows, long length) {
            List<Pending> joining = take(rows, length);
            inEngine.addAll(joining);
            return joining.stream().map(Pending::request).toList();
        }

        @Override
        public void done(GenerationRequest request, GenerationResult result) {
            Pending p = remove(request);
            if (p != null) p.result().complete(result);
        }

        @Override
        public void failed(GenerationRequest request, RuntimeException error) {
            Pending p = remove(request);
            if (p != null) p.result().completeExceptionally(error);
        }

        @Override
        public void stepped(int rows) {
            count(rows);
        }

        private Pending remove(GenerationRequest request) {
            for (int i = 0; i < inEngine.size(); i++) {
                if (inEngine.get(i).request() == request) return inEngine.remove(i);
            }
            return null;
        }
    }

    /** Waiting requests that may join a batch of {@code rows} rows and {@code length} positions now, oldest first. */
    private synchronized List<Pending> take(int rows, long length) {
        List<Pending> joining = new ArrayList<>();
        if (pending.isEmpty() || rows >= maxBatch) return joining;
        long perToken = engine.kvBytesPerToken();
        long batchLength = length;
        long mostNew = 0;
        List<Pending> byAge = new ArrayList<>(pending);
        byAge.sort(java.util.Comparator.comparingLong(Pending::order));
        for (Pending p : byAge) {
            if (rows + joining.size() >= maxBatch) break;
            long joined = Math.max(batchLength, p.length());
            // A much longer prompt would pad every running row to its length: it waits for the batch to drain.
            if (rows + joining.size() > 0 && p.length() > batchLength && !LengthBatches.similar((int) batchLength, p.length())) continue;
            long most = Math.max(mostNew, p.request().maxNewTokens());
            boolean first = rows + joining.size() == 0;
            if (!first && (rows + joining.size() + 1) * (joined + most) * perToken > kvBudgetBytes) continue;
            joining.add(p);
            batchLength = joined;
            mostNew = most;
        }
        pending.removeAll(joining);
        return joining;
    }

    /** One request on its own, after an engine error in its batch. */
    private void alone(Pending p) {
        try {
            p.result().complete(engine.generate(List.of(p.request())).get(0));
        } catch (RuntimeException e) {
            p.result().completeExceptionally(e);
        }
    }

    private synchronized void count(int stepRows) {
        rows += stepRows;
        batches++;
        maxRows = Math.max(maxRows, stepRows);
    }

    /** Mean rows of the decoding steps so far (how full the batch was). */
    public synchronized double meanBatch() {
        return batches == 0 ? 0 : (double) rows / batches;
    }

    /** The most rows one decoding step ran with. */
    public synchronized int maxRows() {
        return maxRows;
    }

    private synchronized void forget(Key key, CompletableFuture<GenerationResult> f) {
        inFlight.remove(key, f);
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
            log.info("{} decoding steps, {} rows a step on average, at most {} (--batch {})", batches,
                    String.format(java.util.Locale.ROOT, "%.2f", meanBatch()), maxRows, maxBatch);
        }
        try {
            worker.join(60_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
