package dev.nightshift.pipeline.run;

import dev.nightshift.pipeline.core.SourceItem;

/**
 * The first stage: fingerprint a source, decide whether earlier work stands, extract, chunk. Called from
 * several threads at once; a Spark runner calls it inside {@code mapPartitions}.
 */
@FunctionalInterface
public interface Preparer {
    Preparation prepare(SourceItem item);
}
