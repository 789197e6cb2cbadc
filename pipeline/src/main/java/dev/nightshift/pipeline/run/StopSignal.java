package dev.nightshift.pipeline.run;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Set once (by Ctrl-C) to ask a run to stop: documents in flight are finished, nothing new starts.
 */
public final class StopSignal {
    private final AtomicBoolean requested = new AtomicBoolean();

    public void request() {
        requested.set(true);
    }

    public boolean requested() {
        return requested.get();
    }
}
