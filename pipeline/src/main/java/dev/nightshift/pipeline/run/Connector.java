package dev.nightshift.pipeline.run;

import dev.nightshift.pipeline.core.SourceItem;

/**
 * Finds sources. Implementations walk folders, open archives or mailboxes; they report what they find
 * one item at a time so that discovery never holds the whole archive in memory.
 */
public interface Connector {
    /**
     * Reports every source to {@code sink}, and every place that could not be looked into (an
     * unreadable folder, a broken link) to {@code problems}. Stops early when {@code sink} returns false.
     */
    void discover(Sink sink, ProblemSink problems);

    @FunctionalInterface
    interface Sink {
        /** @return false to stop discovery (the run was interrupted) */
        boolean accept(SourceItem item);
    }

    @FunctionalInterface
    interface ProblemSink {
        void problem(String locator, String reason);
    }
}
