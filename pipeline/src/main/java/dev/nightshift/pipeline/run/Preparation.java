package dev.nightshift.pipeline.run;

import dev.nightshift.pipeline.core.FailureCategory;

import java.util.List;

/** What the preparation stage made of one source file. */
public sealed interface Preparation {
    /** The file and the documents found inside it, to be processed and stored together. */
    record Ready(PreparedDocument container, List<PreparedDocument> entries) implements Preparation {
        public Ready {
            entries = List.copyOf(entries);
        }
    }

    /** Settled by an earlier run ({@link SkipPolicy}): nothing to do. */
    record Skipped(String locator, String reason) implements Preparation {
    }

    /** The file could not be read or prepared; no document of it is stored. */
    record Failed(String locator, FailureCategory category, String reason) implements Preparation {
    }
}
