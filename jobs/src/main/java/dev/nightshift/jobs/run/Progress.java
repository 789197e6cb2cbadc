package dev.nightshift.jobs.run;

import dev.nightshift.jobs.cli.Terminal;

import dev.nightshift.pipeline.run.RunListener;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Progress on stderr: a bar on a terminal, a plain line every {@code interval} otherwise (log files,
 * CI). Also remembers the failures and cut-off documents for the closing summary.
 *
 * <p>The time left is estimated from bytes, not from document counts: one large file among many
 * small ones is most of the work, and a count says "0.0 s left" while it runs. Bytes that an unchanged
 * rerun skips cost nothing, so the rate is taken over the bytes actually worked on. While the walk
 * goes on the total is a lower bound ("at least"), and a document in flight for long is named.
 */
public final class Progress implements RunListener, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Progress.class);

    record Failure(String locator, String reason) {
    }

    /** A document in flight longer than this is named in the progress line. */
    static final Duration LONG_DOCUMENT = Duration.ofSeconds(20);

    /** No estimate of the time left before this much time has passed, or a twentieth of the bytes is done. */
    static final Duration SETTLED = Duration.ofSeconds(20);

    private record InFlight(Instant since, long bytes) {
    }

    private final ProgressBar bar;
    private final PrintWriter plain;
    private final Clock clock;
    private final Duration interval;
    private final Instant started;
    private volatile Instant lastLine;
    private final AtomicLong discovered = new AtomicLong();
    private final AtomicLong discoveredBytes = new AtomicLong();
    private volatile boolean discoveryDone;
    private final AtomicLong finished = new AtomicLong();
    private final AtomicLong finishedBytes = new AtomicLong();
    private final AtomicLong workedBytes = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final Map<String, InFlight> inFlight = new ConcurrentHashMap<>();
    private final List<Failure> failures = Collections.synchronizedList(new ArrayList<>());
    private final List<Failure> partials = Collections.synchronizedList(new ArrayList<>());

    /** Prints the plain line on time even while one long document keeps every count still. */
    private final ScheduledExecutorService ticker;

    private Progress(ProgressBar bar, PrintWriter plain, Clock clock, Duration interval) {
        this.bar = bar;
        this.plain = plain;
        this.clock = clock;
        this.interval = interval;
        this.started = clock.instant();
        this.lastLine = started;
        if (!interval.isZero()) {
            ticker = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "progress");
                t.setDaemon(true);
                return t;
            });
            ticker.scheduleAtFixedRate(plain != null ? this::maybePrintLine : this::refreshBar, 1, 1, TimeUnit.SECONDS);
        } else {
            ticker = null;
        }
    }

    /** A progress bar when stderr is a terminal, otherwise a plain line to {@code err} at most every {@code interval}. */
    static Progress create(String command, boolean terminal, PrintWriter err, Clock clock, Duration interval) {
        if (terminal) {
            ProgressBar bar = new ProgressBarBuilder()
                    .setTaskName(command)
                    .setInitialMax(-1)
                    .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK)
                    .setConsumer(new ConsoleProgressBarConsumer(new PrintStream(System.err, true)))
                    .setUpdateIntervalMillis(500)
                    .showSpeed()
                    .build();
            return new Progress(bar, null, clock, interval);
        }
        return new Progress(null, err, clock, interval);
    }

    @Override
    public void discovered(long total, long bytes) {
        discovered.set(total);
        discoveredBytes.set(bytes);
    }

    @Override
    public void discoveryFinished(long total, long bytes) {
        discovered.set(total);
        discoveredBytes.set(bytes);
        discoveryDone = true;
        if (bar != null) bar.maxHint(total);
    }

    @Override
    public void started(String locator, long bytes) {
        inFlight.put(locator, new InFlight(clock.instant(), bytes));
    }

    @Override
    public void finished(String locator, Outcome outcome, String detail) {
        InFlight work = inFlight.remove(locator);
        long bytes = work == null ? 0 : work.bytes();
        finished.incrementAndGet();
        finishedBytes.addAndGet(bytes);
        if (outcome == Outcome.FAILED) {
            failed.incrementAndGet();
            failures.add(new Failure(locator, detail));
        } else if (outcome == Outcome.SKIPPED) {
            skipped.incrementAndGet();
        }
        if (outcome != Outcome.SKIPPED) workedBytes.addAndGet(bytes);
        if (bar != null) {
            bar.step();
            refreshBar();
        } else {
            maybePrintLine();
        }
    }

    @Override
    public void entryFinished(String locator, Outcome outcome, String detail) {
        if (outcome == Outcome.FAILED) {
            failed.incrementAndGet();
            failures.add(new Failure(locator, detail));
        }
    }

    @Override
    public void partial(String locator, String reason) {
        partials.add(new Failure(locator, reason));
    }

    private void refreshBar() {
        if (bar == null) return;
        String working = longest(clock.instant()).map(w -> ", " + w).orElse("");
        bar.setExtraMessage(" " + failed.get() + " failed, " + skipped.get() + " skipped" + working);
    }

    private synchronized void maybePrintLine() {
        Instant now = clock.instant();
        if (Duration.between(lastLine, now).compareTo(interval) < 0) return;
        lastLine = now;
        plain.println("nightshift: " + line(now));
        plain.flush();
    }

    /** "807/at least 900 files (41.2 of 52.0 MB), 3 failed, 5 skipped, 2 min 3 s elapsed, about 1 min left; ..." */
    String line(Instant now) {
        long done = finished.get();
        long total = discovered.get();
        long doneBytes = finishedBytes.get();
        long totalBytes = discoveredBytes.get();
        Duration elapsed = Duration.between(started, now);
        StringBuilder s = new StringBuilder();
        s.append(done).append('/').append(discoveryDone ? "" : "at least ").append(total).append(" files (")
                .append(size(doneBytes)).append(" of ").append(discoveryDone ? "" : "at least ")
                .append(size(totalBytes)).append("), ")
                .append(failed.get()).append(" failed, ").append(skipped.get()).append(" skipped, ")
                .append(Summary.human(elapsed)).append(" elapsed");
        timeLeft(now, elapsed, doneBytes, totalBytes).ifPresent(left -> s.append(", about ").append(Summary.human(left)).append(" left"));
        longest(now).ifPresent(w -> s.append("; ").append(w));
        return s.toString();
    }

    /** When the run is expected to end, smoothed over the lines printed so far; null before the first estimate. */
    private Instant expectedEnd;

    /**
     * The time left, from the rate over the bytes worked on. Documents in flight count for what that
     * rate says they have done in the time they have run (at most half their bytes): one large file in
     * flight neither stalls the estimate (its bytes counted as nothing, "1708 h left") nor ends it
     * (counted as done). Nothing is said before the first seconds and 1% of the bytes: a rate from a
     * few small files says little about the rest. Each new estimate moves the expected end a third of
     * the way, so the figure settles instead of swinging with each file's format.
     */
    private synchronized Optional<Duration> timeLeft(Instant now, Duration elapsed, long doneBytes, long totalBytes) {
        long worked = workedBytes.get();
        long elapsedMs = elapsed.toMillis();
        boolean enough = elapsed.compareTo(SETTLED) >= 0 || doneBytes * 20 >= totalBytes;
        if (!discoveryDone || !enough || worked <= 0 || worked * 100 < totalBytes - (doneBytes - worked) || totalBytes <= doneBytes || elapsedMs <= 0) {
            return Optional.empty();
        }
        double rate = (double) worked / elapsedMs; // bytes a millisecond
        double credited = 0;
        for (InFlight w : inFlight.values()) {
            credited += Math.min(w.bytes() / 2.0, rate * Math.max(0, Duration.between(w.since(), now).toMillis()));
        }
        double remainingMs = (totalBytes - doneBytes - credited) / ((worked + credited) / (double) elapsedMs);
        Instant end = now.plusMillis((long) Math.max(0, remainingMs));
        expectedEnd = expectedEnd == null ? end : expectedEnd.plusMillis(Duration.between(expectedEnd, end).toMillis() / 3);
        Duration left = Duration.between(now, expectedEnd);
        return left.toMillis() >= 1000 ? Optional.of(left) : Optional.empty();
    }

    /** "working on NAME for 45 s" for the document longest in flight, once it has taken a while. */
    private Optional<String> longest(Instant now) {
        return inFlight.entrySet().stream()
                .min(Map.Entry.comparingByValue((a, b) -> a.since().compareTo(b.since())))
                .filter(e -> Duration.between(e.getValue().since(), now).compareTo(LONG_DOCUMENT) >= 0)
                .map(e -> "working on " + Terminal.line(name(e.getKey())) + " for "
                        + Summary.human(Duration.between(e.getValue().since(), now).withNanos(0)));
    }

    /** The folders (or files) the run was given: a document in flight is named by its path under them. */
    private volatile List<String> roots = List.of();

    Progress relativeTo(List<Path> paths) {
        roots = paths.stream().map(p -> p.toAbsolutePath().normalize().toString()).toList();
        return this;
    }

    /**
     * A locator as the user knows it: its path under the folder given (500 files may be named
     * changelog.gz), or the file's name when the file itself was given.
     */
    String name(String locator) {
        for (String root : roots) {
            if (locator.startsWith(root + "/") && locator.length() > root.length() + 1) return locator.substring(root.length() + 1);
        }
        int cut = Math.max(locator.lastIndexOf('/'), locator.lastIndexOf('\\'));
        return cut >= 0 && cut < locator.length() - 1 ? locator.substring(cut + 1) : locator;
    }

    /** "512 KB", "41.2 MB", "1.3 GB". */
    public static String size(long bytes) {
        if (bytes < 1_000_000) return String.format(java.util.Locale.ROOT, "%d KB", (bytes + 999) / 1000);
        if (bytes < 1_000_000_000) return String.format(java.util.Locale.ROOT, "%.1f MB", bytes / 1e6);
        return String.format(java.util.Locale.ROOT, "%.1f GB", bytes / 1e9);
    }

    /** Documents whose work has begun and not ended. */
    int inFlight() {
        return inFlight.size();
    }

    List<Failure> failures() {
        synchronized (failures) {
            return List.copyOf(failures);
        }
    }

    List<Failure> partials() {
        synchronized (partials) {
            return List.copyOf(partials);
        }
    }

    /** Writes the run's state to {@code file}, or null; see {@link #writeStatusFile}. */
    private volatile Path statusFile;
    private ScheduledExecutorService statusWriter;

    /**
     * Keeps {@code file} (beside the database) up to date every two seconds with where the run stands, so
     * that {@code status} in another terminal can show it; deleted when the run ends. A run killed leaves
     * it behind, stale: readers ignore a file not written for a while.
     */
    Progress withStatusFile(Path file) {
        this.statusFile = file;
        statusWriter = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "status-file");
            t.setDaemon(true);
            return t;
        });
        statusWriter.scheduleAtFixedRate(this::writeStatusFile, 0, 2, TimeUnit.SECONDS);
        return this;
    }

    /** How long a status file stays fresh without being written: beyond this the run is gone. */
    public static final Duration STATUS_FRESH = Duration.ofSeconds(10);

    private void writeStatusFile() {
        Path file = statusFile;
        if (file == null) return;
        try {
            Instant now = clock.instant();
            Map<String, Object> s = new java.util.LinkedHashMap<>();
            s.put("updated_at", now.toString());
            s.put("started_at", started.toString());
            s.put("files_done", finished.get());
            s.put("files_total", discovered.get());
            s.put("files_total_known", discoveryDone);
            s.put("bytes_done", finishedBytes.get());
            s.put("bytes_total", discoveredBytes.get());
            s.put("failed", failed.get());
            s.put("skipped", skipped.get());
            s.put("line", line(now));
            List<Map<String, String>> recent = new ArrayList<>();
            synchronized (failures) {
                for (Failure f : failures.subList(Math.max(0, failures.size() - 5), failures.size())) {
                    recent.add(Map.of("path", f.locator(), "reason", f.reason()));
                }
            }
            s.put("recent_failures", recent);
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            java.nio.file.Files.writeString(tmp, new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(s));
            java.nio.file.Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            statusFileProblem = null;
        } catch (java.io.IOException | RuntimeException e) {
            // A courtesy to other terminals: the run goes on without it, but says so (in the log at once,
            // once per reason, and in the summary), else 'status' elsewhere shows nothing and nobody knows why.
            String reason = e instanceof java.io.IOException io ? dev.nightshift.pipeline.core.IoReasons.of(io) : e.toString();
            if (!reason.equals(statusFileProblem)) log.warn("cannot write the run's status file {}: {}", file, reason);
            statusFileProblem = reason;
        }
    }

    /** Why the status file could not be written the last time it was tried, or null when it was. */
    private volatile String statusFileProblem;

    /** For the run's summary: the status file that could not be kept up to date and why, or null. */
    String statusFileProblem() {
        String problem = statusFileProblem;
        return problem == null ? null : "the run's status file " + statusFile + " could not be written (" + problem
                + "), so 'status' in another terminal did not show this run's progress";
    }

    @Override
    public void close() {
        if (ticker != null) ticker.shutdownNow();
        if (bar != null) bar.close();
        if (statusWriter != null) {
            statusWriter.shutdownNow();
            try {
                java.nio.file.Files.deleteIfExists(statusFile);
            } catch (java.io.IOException e) {
                // stale files are ignored by readers
            }
        }
    }
}
