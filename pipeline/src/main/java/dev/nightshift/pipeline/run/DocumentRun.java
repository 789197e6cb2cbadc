package dev.nightshift.pipeline.run;

import dev.nightshift.pipeline.chunk.Chunker;
import dev.nightshift.pipeline.core.Chunk;
import dev.nightshift.pipeline.core.Extraction;
import dev.nightshift.pipeline.core.FetchedDocument;
import dev.nightshift.pipeline.core.Hashing;
import dev.nightshift.pipeline.core.OutputDraft;
import dev.nightshift.pipeline.core.SourceItem;
import dev.nightshift.pipeline.core.Task;
import dev.nightshift.pipeline.store.DocumentResult;
import dev.nightshift.pipeline.store.PriorWork;
import dev.nightshift.pipeline.store.Store;
import dev.nightshift.pipeline.summarize.ChunkingSpec;
import dev.nightshift.pipeline.summarize.Summarizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One run over a set of sources: discover -> fetch (fingerprint) -> extract -> chunk -> summarize ->
 * store. Stages are joined by bounded queues, so memory depends on the queue sizes, not on the number
 * of files, and extraction on {@code threads} workers overlaps the slower generation stage.
 *
 * <pre>
 * discovery (1 thread) --[sources]--> prepare (threads) --[prepared]--> summarize (summarizer.parallelism())
 * </pre>
 *
 * Each finished document is written in one transaction, so a run killed at any point loses at most the
 * documents in flight, and the next run does them again without duplicating anything.
 */
public final class DocumentRun {
    private static final Logger log = LoggerFactory.getLogger(DocumentRun.class);

    /** A document ready for the summarize stage, or the end-of-stream marker. */
    private record Prepared(FetchedDocument document, Extraction extraction, String tokenizer, List<Chunk> chunks) {
    }

    private static final SourceItem END_OF_SOURCES = new SourceItem("-end-", java.nio.file.Path.of("-"), 0, null);
    private static final Prepared END_OF_PREPARED = new Prepared(null, null, null, null);

    private final Store store;
    private final Extractor extractor;
    private final Summarizer summarizer;
    private final int threads;
    private final RunListener listener;
    private final StopSignal stop;
    private final Clock clock;

    private final AtomicLong discovered = new AtomicLong();
    private final AtomicLong extracted = new AtomicLong();
    private final AtomicLong done = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final Map<String, AtomicLong> failures = new ConcurrentHashMap<>();
    private final AtomicReference<RuntimeException> fatal = new AtomicReference<>();

    public DocumentRun(Store store, Extractor extractor, Summarizer summarizer, int threads,
                       RunListener listener, StopSignal stop, Clock clock) {
        this.store = Objects.requireNonNull(store);
        this.extractor = Objects.requireNonNull(extractor);
        this.summarizer = Objects.requireNonNull(summarizer);
        if (threads < 1) throw new IllegalArgumentException("threads must be at least 1");
        this.threads = threads;
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
        Task task = summarizer.task();
        String taskKey = task.key();
        BlockingQueue<SourceItem> sources = new ArrayBlockingQueue<>(threads * 4);
        int summarizers = Math.max(1, Math.min(summarizer.parallelism(), threads));
        BlockingQueue<Prepared> prepared = new ArrayBlockingQueue<>(Math.max(2, summarizers * 2));

        Thread discovery = new Thread(() -> {
            try {
                connector.discover(item -> {
                    if (stop.requested() || fatal.get() != null) return false;
                    listener.discovered(discovered.incrementAndGet());
                    return offer(sources, item);
                }, (locator, reason) -> {
                    listener.finished(locator, RunListener.Outcome.FAILED, reason);
                    failures.computeIfAbsent("UNREADABLE", k -> new AtomicLong()).incrementAndGet();
                    store.event(runId, locator, "failed", "UNREADABLE: " + reason);
                });
            } catch (RuntimeException e) {
                fatal.compareAndSet(null, e);
            } finally {
                listener.discoveryFinished(discovered.get());
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
                        Prepared p = prepare(runId, item, taskKey);
                        if (p != null && !offer(prepared, p)) break;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (RuntimeException e) {
                    fatal.compareAndSet(null, e);
                }
            }, "extract-" + n));
        }

        List<Thread> generators = new ArrayList<>();
        for (int i = 0; i < summarizers; i++) {
            int n = i;
            generators.add(new Thread(() -> {
                try {
                    for (Prepared p = prepared.take(); p != END_OF_PREPARED; p = prepared.take()) {
                        if (stop.requested() || fatal.get() != null) continue;
                        finish(runId, task, p);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (RuntimeException e) {
                    fatal.compareAndSet(null, e);
                }
            }, "summarize-" + n));
        }

        discovery.start();
        preparers.forEach(Thread::start);
        generators.forEach(Thread::start);
        discovery.join();
        for (Thread t : preparers) t.join();
        for (int i = 0; i < summarizers; i++) prepared.put(END_OF_PREPARED);
        for (Thread t : generators) t.join();

        if (fatal.get() != null) throw fatal.get();
        Map<String, Long> failureCounts = new java.util.TreeMap<>();
        failures.forEach((k, v) -> failureCounts.put(k, v.get()));
        long failed = failureCounts.values().stream().mapToLong(Long::longValue).sum();
        return new RunReport(runId, discovered.get(), extracted.get(), done.get(), skipped.get(), failed, failureCounts,
                stop.requested(), Duration.between(started, clock.instant()));
    }

    /** Fingerprints, checks earlier work, extracts and chunks. Returns null when the source is finished here. */
    private Prepared prepare(long runId, SourceItem item, String taskKey) {
        String sha256;
        try {
            sha256 = fingerprint(item);
        } catch (IOException | RuntimeException e) {
            fail(runId, item.locator(), "UNREADABLE", "cannot read: " + describe(e));
            return null;
        }
        FetchedDocument document = new FetchedDocument(item, sha256, item.sizeBytes());
        PriorWork prior = store.priorWork(item.locator(), sha256, taskKey, extractor.name());
        if (prior.settled()) {
            String why = prior.completed() ? "unchanged, already summarized"
                    : "unchanged, extraction failed before: " + prior.lastFailure() + ": " + prior.failureReason();
            skipped.incrementAndGet();
            store.event(runId, item.locator(), "skipped", why);
            listener.finished(item.locator(), RunListener.Outcome.SKIPPED, why);
            return null;
        }
        Extraction extraction = extractor.extract(item);
        if (!extraction.status().usable()) {
            return new Prepared(document, extraction, null, List.of());
        }
        extracted.incrementAndGet();
        ChunkingSpec spec = summarizer.chunking();
        Locale locale = extraction.language() == null ? Locale.ROOT : Locale.forLanguageTag(extraction.language());
        List<Chunk> chunks = new Chunker(spec.counter(), spec.maxTokens(), locale).split(extraction.text());
        return new Prepared(document, extraction, spec.counter().name(), chunks);
    }

    /** Summarizes (when there is text) and stores the document in one transaction. */
    private void finish(long runId, Task task, Prepared p) {
        String locator = p.document().source().locator();
        if (!p.extraction().status().usable() || p.chunks().isEmpty()) {
            Extraction e = p.extraction();
            if (e.status().usable()) { // text that is only whitespace: nothing to summarize
                e = new Extraction(dev.nightshift.pipeline.core.ExtractionStatus.EMPTY, "", e.mediaType(), e.parser(),
                        e.extractor(), e.tikaVersion(), e.language(), e.durationMs(), "no text in the document");
                extracted.decrementAndGet();
            }
            store.save(runId, DocumentResult.failed(p.document(), e));
            failures.computeIfAbsent(e.status().name(), k -> new AtomicLong()).incrementAndGet();
            listener.finished(locator, RunListener.Outcome.FAILED, e.status() + ": " + e.error());
            return;
        }
        List<OutputDraft> outputs;
        try {
            Locale locale = p.extraction().language() == null ? Locale.ROOT : Locale.forLanguageTag(p.extraction().language());
            outputs = summarizer.summarize(p.chunks(), locale);
        } catch (RuntimeException e) {
            log.warn("summarizing {} failed", locator, e);
            store.save(runId, new DocumentResult(p.document(), p.extraction(), p.tokenizer(), p.chunks(), task, List.of()));
            fail(runId, locator, "SUMMARIZE", "summarizing failed: " + describe(e));
            return;
        }
        store.save(runId, new DocumentResult(p.document(), p.extraction(), p.tokenizer(), p.chunks(), task, outputs));
        done.incrementAndGet();
        listener.finished(locator, RunListener.Outcome.DONE, p.chunks().size() + " chunks");
    }

    /**
     * The SHA-256 of a source. A source whose size and modification time match its latest stored version
     * is taken to be unchanged without reading it again (as rsync and make do), which keeps reruns over
     * large archives fast.
     */
    private String fingerprint(SourceItem item) throws IOException {
        if (item.modifiedAt() != null) {
            var known = store.latestVersion(item.locator());
            if (known.isPresent() && known.get().sizeBytes() == item.sizeBytes()
                    && item.modifiedAt().equals(known.get().modifiedAt())) {
                return known.get().sha256();
            }
        }
        return Hashing.sha256(item.file());
    }

    private void fail(long runId, String locator, String status, String reason) {
        failures.computeIfAbsent(status, k -> new AtomicLong()).incrementAndGet();
        store.event(runId, locator, "failed", status + ": " + reason);
        listener.finished(locator, RunListener.Outcome.FAILED, status + ": " + reason);
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
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
