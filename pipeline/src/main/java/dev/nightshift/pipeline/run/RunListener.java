package dev.nightshift.pipeline.run;

/** Progress of a run, for progress bars and logs. Called from worker threads. */
public interface RunListener {
    RunListener NONE = new RunListener() {
    };

    /** Discovery found another source; {@code total} sources and {@code bytes} so far. */
    default void discovered(long total, long bytes) {
    }

    /** Discovery is complete: the run will see {@code total} sources of {@code bytes} in all. */
    default void discoveryFinished(long total, long bytes) {
    }

    /** Work on a source begins (fingerprint, extraction, then the task): it is in flight until finished. */
    default void started(String locator, long bytes) {
    }

    /** A source is finished, whatever the outcome. */
    default void finished(String locator, Outcome outcome, String detail) {
    }

    /** A document found inside a source file (an archive entry, an attachment) is finished. */
    default void entryFinished(String locator, Outcome outcome, String detail) {
    }

    /** A document's text was cut at the extraction write limit: it was processed from part of its text. */
    default void partial(String locator, String reason) {
    }

    enum Outcome { DONE, SKIPPED, FAILED }
}
