package dev.nightshift.pipeline.run;

import dev.nightshift.pipeline.chunk.Chunker;
import dev.nightshift.pipeline.core.Chunk;
import dev.nightshift.pipeline.core.EmbeddedDocument;
import dev.nightshift.pipeline.core.Extraction;
import dev.nightshift.pipeline.core.ExtractionStatus;
import dev.nightshift.pipeline.core.FetchedDocument;
import dev.nightshift.pipeline.core.Hashing;
import dev.nightshift.pipeline.core.OutputDraft;
import dev.nightshift.pipeline.core.OutputOrigin;
import dev.nightshift.pipeline.core.SourceItem;
import dev.nightshift.pipeline.core.Task;
import dev.nightshift.pipeline.llm.GenerationCancelledException;
import dev.nightshift.pipeline.store.DocumentResult;
import dev.nightshift.pipeline.store.EventKind;
import dev.nightshift.pipeline.store.PriorWork;
import dev.nightshift.pipeline.store.Store;
import dev.nightshift.pipeline.store.StoreException;
import dev.nightshift.pipeline.task.ChunkingSpec;
import dev.nightshift.pipeline.task.DocumentTask;
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
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One run over a set of sources: discover -> fetch (fingerprint) -> extract -> chunk -> process (a
 * {@link DocumentTask}: summarize, translate) -> store. Stages are joined by bounded queues, so memory
 * depends on the queue sizes, not on the number of files, and extraction on {@code threads} workers
 * overlaps the slower generation stage.
 *
 * <pre>
 * discovery (1 thread) --[sources]--> prepare (threads) --[prepared]--> process (work.parallelism())
 * </pre>
 *
 * Each finished document is written in one transaction, so a run killed at any point loses at most the
 * documents in flight, and the next run does them again without duplicating anything.
 */
public final class DocumentRun {
    private static final Logger log = LoggerFactory.getLogger(DocumentRun.class);

    /**
     * One document ready to process: a source file itself, or an entry found inside it.
     *
     * @param unchanged why an earlier run's result stands (the container is read again for other
     *                  entries), or null when the document is to be processed
     */
    private record PreparedDocument(FetchedDocument document, Extraction extraction, String tokenizer, List<Chunk> chunks,
                                    String unchanged) {
        static PreparedDocument unchanged(FetchedDocument document, Extraction extraction, String why) {
            return new PreparedDocument(document, extraction, null, List.of(), why);
        }
    }

    /** A source file and the documents found inside it, processed and stored together; or the end marker. */
    private record Prepared(PreparedDocument container, List<PreparedDocument> entries) {
    }

    private static final SourceItem END_OF_SOURCES = new SourceItem("-end-", java.nio.file.Path.of("-"), 0, null);
    private static final Prepared END_OF_PREPARED = new Prepared(null, List.of());

    private final Store store;
    private final Extractor extractor;
    private final DocumentTask work;
    private final int threads;
    private final RunListener listener;
    private final StopSignal stop;
    private final Clock clock;
    private final SkipPolicy skipPolicy;

    private final AtomicLong discovered = new AtomicLong();
    private final AtomicLong extracted = new AtomicLong();
    private final AtomicLong done = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final AtomicLong cutShort = new AtomicLong();
    private final AtomicLong partial = new AtomicLong();
    private final AtomicLong entries = new AtomicLong();
    private final Map<String, AtomicLong> failures = new ConcurrentHashMap<>();
    private final AtomicReference<RuntimeException> fatal = new AtomicReference<>();

    public DocumentRun(Store store, Extractor extractor, DocumentTask work, int threads,
                       RunListener listener, StopSignal stop, Clock clock) {
        this(store, extractor, work, threads, listener, stop, clock, SkipPolicy.STANDARD);
    }

    public DocumentRun(Store store, Extractor extractor, DocumentTask work, int threads,
                       RunListener listener, StopSignal stop, Clock clock, SkipPolicy skipPolicy) {
        this.skipPolicy = Objects.requireNonNull(skipPolicy);
        this.store = Objects.requireNonNull(store);
        this.extractor = Objects.requireNonNull(extractor);
        this.work = Objects.requireNonNull(work);
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
        Task task = work.task();
        String taskKey = task.key();
        BlockingQueue<SourceItem> sources = new ArrayBlockingQueue<>(threads * 4);
        // Not bounded by the extraction threads: a model task's documents mostly wait on a shared generator.
        int processors = Math.max(1, work.parallelism());
        BlockingQueue<Prepared> prepared = new ArrayBlockingQueue<>(Math.max(2, processors * 2));

        Thread discovery = new Thread(() -> {
            try {
                connector.discover(item -> {
                    if (stop.requested() || fatal.get() != null) return false;
                    discovered.incrementAndGet();
                    return offer(sources, item);
                }, (locator, reason) -> fail(runId, locator, "UNREADABLE", reason));
            } catch (RuntimeException e) {
                fatal.compareAndSet(null, e);
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
                        Prepared p;
                        try {
                            p = prepare(runId, item, taskKey);
                        } catch (StoreException e) {
                            throw e;
                        } catch (RuntimeException e) {
                            // A bug met by one document fails that document, not the night's run.
                            log.error("preparing {} failed", item.locator(), e);
                            fail(runId, item.locator(), "CRASH", "internal error: " + describe(e) + " (details in the log)");
                            continue;
                        }
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
        for (int i = 0; i < processors; i++) {
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
            }, "process-" + n));
        }

        // The walk above waits on the bounded queue, so its count lags far behind; a second walk that only
        // counts files and bytes tells the progress display the size of the whole run early on.
        Thread counting = new Thread(() -> count(connector), "count");
        counting.setDaemon(true);
        counting.start();
        discovery.start();
        preparers.forEach(Thread::start);
        generators.forEach(Thread::start);
        discovery.join();
        for (Thread t : preparers) t.join();
        for (int i = 0; i < processors; i++) prepared.put(END_OF_PREPARED);
        for (Thread t : generators) t.join();

        if (fatal.get() != null) throw fatal.get();
        Map<String, Long> failureCounts = new java.util.TreeMap<>();
        failures.forEach((k, v) -> failureCounts.put(k, v.get()));
        long failed = failureCounts.values().stream().mapToLong(Long::longValue).sum();
        return new RunReport(runId, discovered.get(), entries.get(), extracted.get(), done.get(), partial.get(), cutShort.get(), skipped.get(), failed,
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

    /** Fingerprints, checks earlier work, extracts and chunks. Returns null when the source is finished here. */
    private Prepared prepare(long runId, SourceItem item, String taskKey) {
        listener.started(item.locator(), item.sizeBytes());
        String sha256;
        try {
            sha256 = fingerprint(item);
        } catch (IOException | RuntimeException e) {
            fail(runId, item.locator(), "UNREADABLE", "cannot read: " + describe(e));
            return null;
        }
        FetchedDocument document = new FetchedDocument(item, sha256, item.sizeBytes());
        PriorWork prior = store.priorWork(item.locator(), sha256, taskKey, extractor.name(), skipPolicy.maxAttempts());
        if (skipPolicy.settled(prior)) {
            String why = skipPolicy.reason(prior);
            skipped.incrementAndGet();
            store.event(runId, item.locator(), EventKind.SKIPPED, why);
            listener.finished(item.locator(), RunListener.Outcome.SKIPPED, why);
            return null;
        }
        // Unchanged bytes do not decide for the documents inside: each one is checked against the task.
        Extraction extraction = extractor.extract(item);
        List<PreparedDocument> inside = new ArrayList<>();
        for (EmbeddedDocument e : extraction.embedded()) {
            SourceItem entry = new SourceItem(e.locatorIn(item.locator()), item.file(), e.sizeBytes(), item.modifiedAt());
            FetchedDocument fetched = new FetchedDocument(entry, e.sha256(), e.sizeBytes());
            PriorWork entryPrior = store.priorWork(entry.locator(), e.sha256(), taskKey, extractor.name(), skipPolicy.maxAttempts());
            inside.add(skipPolicy.ownSettled(entryPrior) ? PreparedDocument.unchanged(fetched, e.extraction(), skipPolicy.reason(entryPrior))
                    : chunked(fetched, e.extraction()));
        }
        entries.addAndGet(inside.size());
        PreparedDocument own = skipPolicy.ownSettled(prior) && extraction.status() != ExtractionStatus.CONTAINER
                ? PreparedDocument.unchanged(document, extraction, skipPolicy.reason(prior))
                : chunked(document, extraction);
        return new Prepared(own, inside);
    }

    private PreparedDocument chunked(FetchedDocument document, Extraction extraction) {
        if (extraction.status() == ExtractionStatus.CONTAINER) extracted.incrementAndGet();
        if (!extraction.status().usable()) return new PreparedDocument(document, extraction, null, List.of(), null);
        extracted.incrementAndGet();
        ChunkingSpec spec = work.chunking();
        List<Chunk> chunks = new Chunker(spec.counter(), spec.maxTokens(), locale(extraction), spec.overlapTokens())
                .split(extraction.text());
        return new PreparedDocument(document, extraction, spec.counter().name(), chunks, null);
    }

    private static Locale locale(Extraction e) {
        return e.language() == null ? Locale.ROOT : Locale.forLanguageTag(e.language());
    }

    /** What became of one document: the rows to store and what to report. */
    private record Finished(DocumentResult result, RunListener.Outcome outcome, String failureStatus, String detail) {
    }

    /**
     * Processes the file and its entries, then stores them all in one transaction. When the run is
     * stopping and generation is cancelled part-way, nothing of this source is stored: the next run
     * does it again, as it would after a kill.
     */
    private void finish(long runId, Task task, Prepared p) {
        List<Finished> finished = new ArrayList<>();
        try {
            finished.add(process(task, p.container()));
            for (PreparedDocument entry : p.entries()) finished.add(process(task, entry));
        } catch (GenerationCancelledException e) {
            String locator = p.container().document().source().locator();
            log.info("stopped in the middle of {}; the next run does it again", locator);
            store.event(runId, locator, EventKind.CANCELLED, "the run stopped while this document was being processed");
            return;
        }
        store.saveAll(runId, finished.stream().map(Finished::result).toList());
        for (int i = 0; i < finished.size(); i++) {
            Finished f = finished.get(i);
            if (f.outcome() == RunListener.Outcome.DONE && f.result().extraction().status().usable()) done.incrementAndGet();
            if (f.outcome() != RunListener.Outcome.SKIPPED && f.result().extraction().status() == ExtractionStatus.PARTIAL) {
                // Not complete: what was processed is part of the document, and the run says so.
                partial.incrementAndGet();
                String reason = f.result().extraction().error();
                store.event(runId, f.result().document().source().locator(), EventKind.PARTIAL, reason);
                listener.partial(f.result().document().source().locator(), reason);
            }
            long cut = f.result().outputs().stream().filter(o -> o.origin() == OutputOrigin.LENGTH).count();
            if (cut > 0) {
                // Not silent: the output is kept (it is what the model wrote), and the run says so.
                cutShort.addAndGet(cut);
                store.event(runId, f.result().document().source().locator(), EventKind.CUT_SHORT,
                        cut + " output(s) reached their token limit before the model ended them");
            }
            if (f.outcome() == RunListener.Outcome.SKIPPED) {
                skipped.incrementAndGet();
                store.event(runId, f.result().document().source().locator(), EventKind.SKIPPED, f.detail());
            }
            if (f.failureStatus() != null) {
                failures.computeIfAbsent(f.failureStatus(), k -> new AtomicLong()).incrementAndGet();
                // A task that failed on usable text leaves no extraction status to tell it: the event does.
                if (f.result().extraction().status().usable()) {
                    store.event(runId, f.result().document().source().locator(), EventKind.FAILED, f.detail());
                }
            }
            String locator = f.result().document().source().locator();
            if (i == 0) listener.finished(locator, f.outcome(), f.detail());
            else listener.entryFinished(locator, f.outcome(), f.detail());
        }
    }

    private Finished process(Task task, PreparedDocument p) {
        Extraction e = p.extraction();
        if (p.unchanged() != null) {
            return new Finished(DocumentResult.unchanged(p.document(), e), RunListener.Outcome.SKIPPED, null, p.unchanged());
        }
        if (e.status() == ExtractionStatus.CONTAINER) {
            return new Finished(DocumentResult.failed(p.document(), e), RunListener.Outcome.DONE, null, "an archive or mailbox");
        }
        if (!e.status().usable() || p.chunks().isEmpty()) {
            if (e.status().usable()) { // text that is only whitespace: nothing to process
                e = new Extraction(ExtractionStatus.EMPTY, "", e.mediaType(), e.parser(), e.extractor(), e.tikaVersion(),
                        e.language(), e.durationMs(), "no text in the document");
                extracted.decrementAndGet();
            }
            return new Finished(DocumentResult.failed(p.document(), e), RunListener.Outcome.FAILED, e.status().name(),
                    e.status() + ": " + e.error());
        }
        try {
            Optional<String> passedOver = work.passOver(e);
            List<OutputDraft> outputs = work.process(p.chunks(), locale(e));
            return new Finished(new DocumentResult(p.document(), e, p.tokenizer(), p.chunks(), task, outputs),
                    passedOver.isPresent() ? RunListener.Outcome.SKIPPED : RunListener.Outcome.DONE, null,
                    passedOver.orElse(p.chunks().size() + " chunks"));
        } catch (GenerationCancelledException ex) {
            throw ex;
        } catch (RuntimeException ex) {
            String status = task.name().startsWith("translation") ? "TRANSLATE" : "SUMMARIZE";
            log.warn("{} of {} failed", task.name(), p.document().source().locator(), ex);
            return new Finished(new DocumentResult(p.document(), e, p.tokenizer(), p.chunks(), task, List.of()),
                    RunListener.Outcome.FAILED, status, status + ": " + task.name() + " failed: " + describe(ex));
        }
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
        store.event(runId, locator, EventKind.FAILED, status + ": " + reason);
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
