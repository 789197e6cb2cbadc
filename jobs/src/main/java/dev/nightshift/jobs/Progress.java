package dev.nightshift.jobs;

import dev.nightshift.pipeline.run.RunListener;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Progress on stderr: a bar with an ETA on a terminal, a plain line every {@code interval} otherwise
 * (log files, CI). Also remembers the failures for the closing summary.
 */
final class Progress implements RunListener, AutoCloseable {
    record Failure(String locator, String reason) {
    }

    private final ProgressBar bar;
    private final PrintWriter plain;
    private final Clock clock;
    private final Duration interval;
    private final Instant started;
    private volatile Instant lastLine;
    private final AtomicLong discovered = new AtomicLong();
    private volatile boolean discoveryDone;
    private final AtomicLong finished = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final List<Failure> failures = Collections.synchronizedList(new ArrayList<>());

    /** Prints the plain line on time even while one long document keeps every count still. */
    private final ScheduledExecutorService ticker;

    private Progress(ProgressBar bar, PrintWriter plain, Clock clock, Duration interval) {
        this.bar = bar;
        this.plain = plain;
        this.clock = clock;
        this.interval = interval;
        this.started = clock.instant();
        this.lastLine = started;
        if (plain != null && !interval.isZero()) {
            ticker = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "progress");
                t.setDaemon(true);
                return t;
            });
            ticker.scheduleAtFixedRate(this::maybePrintLine, 1, 1, TimeUnit.SECONDS);
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
    public void discovered(long total) {
        discovered.set(total);
        if (bar != null && !discoveryDone) bar.maxHint(-1);
    }

    @Override
    public void discoveryFinished(long total) {
        discovered.set(total);
        discoveryDone = true;
        if (bar != null) bar.maxHint(total);
    }

    @Override
    public void finished(String locator, Outcome outcome, String detail) {
        finished.incrementAndGet();
        if (outcome == Outcome.FAILED) {
            failed.incrementAndGet();
            failures.add(new Failure(locator, detail));
        } else if (outcome == Outcome.SKIPPED) {
            skipped.incrementAndGet();
        }
        if (bar != null) {
            bar.step();
            bar.setExtraMessage(" " + failed.get() + " failed, " + skipped.get() + " skipped");
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

    private synchronized void maybePrintLine() {
        Instant now = clock.instant();
        if (Duration.between(lastLine, now).compareTo(interval) < 0) return;
        lastLine = now;
        long done = finished.get();
        long total = discovered.get();
        Duration elapsed = Duration.between(started, now);
        String eta = "";
        if (discoveryDone && done > 0 && total > done) {
            long remainingMs = elapsed.toMillis() * (total - done) / done;
            eta = ", about " + Summary.human(Duration.ofMillis(remainingMs)) + " left";
        }
        plain.printf("nightshift: %d/%d%s documents, %d failed, %d skipped, %s elapsed%s%n", done, total,
                discoveryDone ? "" : "+", failed.get(), skipped.get(), Summary.human(elapsed), eta);
        plain.flush();
    }

    List<Failure> failures() {
        synchronized (failures) {
            return List.copyOf(failures);
        }
    }

    @Override
    public void close() {
        if (ticker != null) ticker.shutdownNow();
        if (bar != null) bar.close();
    }
}
