package dev.nightshift.pipeline.run;

import dev.nightshift.pipeline.core.ErrorText;
import dev.nightshift.pipeline.core.ExtractionStatus;
import dev.nightshift.pipeline.core.FailureCategory;
import dev.nightshift.pipeline.core.SourceItem;
import dev.nightshift.pipeline.llm.GenerationCancelledException;
import dev.nightshift.pipeline.store.EventKind;
import dev.nightshift.pipeline.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One run over a set of sources, as three stages joined by bounded queues: a {@link Preparer}
 * (fingerprint, skip decision, extraction, chunking), a {@link SourceProcessor} (the document task)
 * and a {@link ResultWriter} (one transaction per source file with everything inside it). This class
 * only schedules: threads, queues, the stop signal, counters and the listener. Memory depends on the
 * queue sizes, not on the number of files, and extraction on {@code threads} workers overlaps the
 * slower generation stage.
 *
 * <pre>
 * discovery (1 thread) --[sources]--> prepare (threads) --[ready]--> process + write (task parallelism)
 * </pre>
 *
 * A run killed at any point loses at most the sources in flight, and the next run does them again
 * without duplicating anything.
 */
public final class DocumentRun {
    private static final Logger log = LoggerFactory.getLogger(DocumentRun.class);

    private static final SourceItem END_OF_SOURCES = new SourceItem("-end-", java.nio.file.Path.of("-"), 0, null);
    private static final Preparation.Ready END_OF_PREPARED = new Preparation.Ready(null, List.of());

    private final Preparer preparer;
    private final SourceProcessor processor;
    private final ResultWriter writer;
    private final int processors;
    private final int threads;
    private final RunListener listener;
    private final StopSignal stop;
    private final Clock clock;

    private final AtomicLong discovered = new AtomicLong();
    private final AtomicLong extracted = new AtomicLong();
    private final AtomicLong done = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final AtomicLong cutShort = new AtomicLong();
    private final AtomicLong checked = new AtomicLong();
    private final AtomicLong unsupported = new AtomicLong();
    private final AtomicLong partial = new AtomicLong();
    private final AtomicLong entries = new AtomicLong();
    private final AtomicLong images = new AtomicLong();
    private final AtomicLong described = new AtomicLong();
    private final Map<FailureCategory, AtomicLong> failures = new ConcurrentHashMap<>();
    private final AtomicReference<RuntimeException> fatal = new AtomicReference<>();
    /** The run's own threads, interrupted at once when one of them meets a fatal error. */
    private final List<Thread> threadsOfRun = new java.util.concurrent.CopyOnWriteArrayList<>();

    public DocumentRun(RunStages stages, RunListener listener, StopSignal stop, Clock clock) {
        this.preparer = stages.preparer();
        this.processor = stages.processor();
        this.writer = stages.writer();
        this.processors = stages.processors();
        this.threads = stages.threads();
        this.listener = Objects.requireNonNull(listener);
        this.stop = Objects.requireNonNull(stop);
        this.clock = Objects.requireNonNull(clock);
    }

    /**
     * Runs to the end, or until the stop signal. Per-document failures are recorded and counted; an
     * error that makes further work pointless (the database cannot be written) ends the run and is
     * rethrown.
     */
    public RunReport execute(long runId, Connector connector) throws InterruptedException {
        Instant started = clock.instant();
        BlockingQueue<SourceItem> sources = new ArrayBlockingQueue<>(threads * 4);
        // Not bounded by the extraction threads: a model task's documents mostly wait on a shared generator.
        BlockingQueue<Preparation.Ready> prepared = new ArrayBlockingQueue<>(Math.max(2, processors * 2));

        Thread discovery = new Thread(() -> {
            try {
                connector.discover(item -> {
                    if (stop.requested() || fatal.get() != null) return false;
                    discovered.incrementAndGet();
                    return offer(sources, item);
                }, (locator, reason) -> {
                    // A file found but not read is still a file seen: seen = done + skipped + failed + ...
                    discovered.incrementAndGet();
                    fail(runId, locator, FailureCategory.UNREADABLE, reason);
                });
            } catch (RuntimeException | Error e) {
                fatal(e);
            } finally {
                for (int i = 0; i < threads; i++) offer(sources, END_OF_SOURCES);
            }
        }, "discover");

        List<Thread> preparers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            int n = i;
            preparers.add(new Thread(() -> {
                try {
                    for (SourceItem item = sources.take(); item != END_OF_SOURCES; item = sources.take()) {
                        if (stop.requested() || fatal.get() != null) continue; // drain without working
                        listener.started(item.locator(), item.sizeBytes());
                        Preparation p;
                        try {
                            p = preparer.prepare(item);
                        } catch (StoreException e) {
                            throw e;
                        } catch (RuntimeException e) {
                            // A bug met by one document fails that document, not the night's run.
                            log.error("preparing {} failed", item.locator(), e);
                            p = new Preparation.Failed(item.locator(), FailureCategory.CRASH,
                                    "internal error: " + ErrorText.of(e) + " (details in the log)");
                        }
                        if (p instanceof Preparation.Ready ready) {
                            entries.addAndGet(ready.entries().size());
                            if (!offer(prepared, ready)) return;
                        } else if (p instanceof Preparation.Skipped s) {
                            // Counted, not recorded per file: the run records the count when it finishes.
                            skipped.incrementAndGet();
                            listener.finished(s.locator(), RunListener.Outcome.SKIPPED, s.reason());
                        } else if (p instanceof Preparation.Failed f) {
                            fail(runId, f.locator(), f.category(), f.reason());
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (RuntimeException | Error e) {
                    fatal(e);
                }
            }, "extract-" + n));
        }

        List<Thread> generators = new ArrayList<>();
        for (int i = 0; i < processors; i++) {
            int n = i;
            generators.add(new Thread(() -> {
                try {
                    for (Preparation.Ready p = prepared.take(); p != END_OF_PREPARED; p = prepared.take()) {
                        if (stop.requested() || fatal.get() != null) continue;
                        finish(runId, p);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (RuntimeException | Error e) {
                    fatal(e);
                }
            }, "process-" + n));
        }

        // The walk above waits on the bounded queue, so its count lags far behind; a second walk that only
        // counts files and bytes tells the progress display the size of the whole run early on.
        Thread counting = new Thread(() -> count(connector), "count");
        counting.setDaemon(true);
        counting.start();
        threadsOfRun.add(discovery);
        threadsOfRun.addAll(preparers);
        threadsOfRun.addAll(generators);
        discovery.start();
        preparers.forEach(Thread::start);
        generators.forEach(Thread::start);
        discovery.join();
        for (Thread t : preparers) t.join();
        for (int i = 0; i < processors && fatal.get() == null; ) {
            // Not a blocking put: the processing threads may have ended on a fatal error meanwhile.
            if (prepared.offer(END_OF_PREPARED, 100, java.util.concurrent.TimeUnit.MILLISECONDS)) i++;
        }
        for (Thread t : generators) t.join();

        if (fatal.get() != null) throw fatal.get();
        Map<FailureCategory, Long> failureCounts = new java.util.EnumMap<>(FailureCategory.class);
        failures.forEach((k, v) -> failureCounts.put(k, v.get()));
        long failed = failureCounts.values().stream().mapToLong(Long::longValue).sum();
        return new RunReport(runId, discovered.get(), entries.get(), extracted.get(), done.get(), images.get(), described.get(), partial.get(), cutShort.get(), checked.get(), unsupported.get(), skipped.get(), failed,
                failureCounts, stop.requested(), Duration.between(started, clock.instant()));
    }

    /** Walks the sources once more without reading them, for the listener's totals. */
    private void count(Connector connector) {
        long[] total = new long[2];
        try {
            connector.discover(item -> {
                if (stop.requested() || fatal.get() != null) return false;
                total[0]++;
                total[1] += item.sizeBytes();
                if (total[0] % 100 == 0) listener.discovered(total[0], total[1]);
                return true;
            }, (locator, reason) -> { });
            if (!stop.requested()) listener.discoveryFinished(total[0], total[1]);
        } catch (RuntimeException e) {
            log.debug("counting the sources failed; progress shows no total", e);
        }
    }

    /**
     * Processes the file and its entries, then writes them all at once. When the run is stopping and
     * generation is cancelled part-way, nothing of this source is stored: the next run does it again,
     * as it would after a kill.
     */
    private void finish(long runId, Preparation.Ready p) {
        List<ProcessedDocument> finished;
        try {
            finished = processor.process(p);
        } catch (GenerationCancelledException e) {
            String locator = p.container().locator();
            log.info("stopped in the middle of {}; the next run does it again", locator);
            writer.event(runId, locator, EventKind.CANCELLED, "the run stopped while this document was being processed");
            return;
        }
        writer.write(runId, finished);
        for (int i = 0; i < finished.size(); i++) {
            ProcessedDocument f = finished.get(i);
            ExtractionStatus status = f.result().extraction().status();
            if (f.fresh() && status.read() && status != ExtractionStatus.IMAGE) extracted.incrementAndGet(); // pictures are counted apart
            if (f.outcome() == RunListener.Outcome.DONE && status.usable()) done.incrementAndGet();
            if (f.fresh() && status == ExtractionStatus.IMAGE) images.incrementAndGet();
            if (f.fresh() && status == ExtractionStatus.IMAGE && !f.result().outputs().isEmpty()) described.incrementAndGet();
            if (f.outcome() != RunListener.Outcome.SKIPPED && status == ExtractionStatus.PARTIAL) {
                // Not complete: what was processed is part of the document, and the run says so.
                partial.incrementAndGet();
                listener.partial(f.locator(), f.result().extraction().error());
            }
            cutShort.addAndGet(StoreWriter.cutShort(f));
            for (var g : f.result().groundings()) {
                if (g == null) continue;
                checked.incrementAndGet();
                if (g.unsupported() > 0) unsupported.incrementAndGet();
            }
            if (f.outcome() == RunListener.Outcome.SKIPPED) skipped.incrementAndGet();
            if (f.failure() != null) failures.computeIfAbsent(f.failure(), k -> new AtomicLong()).incrementAndGet();
            if (i == 0) listener.finished(f.locator(), f.outcome(), f.detail());
            else listener.entryFinished(f.locator(), f.outcome(), f.detail());
        }
    }

    /**
     * An error that makes the run pointless (the database cannot be written: a full disk) or that no
     * stage expected (an {@link Error}): the first one ends the run. Every thread of the run is
     * interrupted at once, wherever it waits (a full queue, a generation), so the run ends within moments
     * and {@link #execute} throws it, instead of stages waiting for ever on a stage that is gone.
     */
    private void fatal(Throwable e) {
        RuntimeException failure = e instanceof RuntimeException r ? r
                : new IllegalStateException("internal error: " + e, e);
        if (!fatal.compareAndSet(null, failure)) return;
        log.error("the run stops: {}", e.toString(), e);
        Thread self = Thread.currentThread();
        for (Thread t : threadsOfRun) if (t != self) t.interrupt();
    }

    private void fail(long runId, String locator, FailureCategory category, String reason) {
        failures.computeIfAbsent(category, k -> new AtomicLong()).incrementAndGet();
        writer.event(runId, locator, EventKind.FAILED, category + ": " + reason);
        listener.finished(locator, RunListener.Outcome.FAILED, category + ": " + reason);
    }

    /** Puts into a bounded queue, waiting while it is full; false if the thread was interrupted. */
    private static <T> boolean offer(BlockingQueue<T> queue, T item) {
        try {
            queue.put(item);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
