package dev.nightshift.pipeline.run;

/** Progress of a run, for progress bars and logs. Called from worker threads. */
public interface RunListener {
    RunListener NONE = new RunListener() {
    };

    /** Discovery found another source; {@code total} so far. */
    default void discovered(long total) {
    }

    /** Discovery is complete: the run will see {@code total} sources. */
    default void discoveryFinished(long total) {
    }

    /** A source is finished, whatever the outcome. */
    default void finished(String locator, Outcome outcome, String detail) {
    }

    /** A document found inside a source file (an archive entry, an attachment) is finished. */
    default void entryFinished(String locator, Outcome outcome, String detail) {
    }

    enum Outcome { DONE, SKIPPED, FAILED }
}
