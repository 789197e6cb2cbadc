package dev.nightshift.pipeline.run;

import java.time.Duration;

/**
 * Set once (by Ctrl-C) to ask a run to stop: nothing new starts, documents in flight are finished,
 * and a generation still running some seconds later is cancelled (see
 * {@link dev.nightshift.pipeline.llm.GemmaEngine#cancelWhen}) so that a long document cannot hold the
 * run past the time the shutdown allows.
 */
public final class StopSignal {
    private volatile long requestedAtNanos;
    private volatile boolean requested;

    public void request() {
        if (requested) return;
        requestedAtNanos = System.nanoTime();
        requested = true;
    }

    public boolean requested() {
        return requested;
    }

    /** True once the stop has been asked for at least {@code grace} ago. */
    public boolean requestedLongerThan(Duration grace) {
        return requested && System.nanoTime() - requestedAtNanos >= grace.toNanos();
    }
}
