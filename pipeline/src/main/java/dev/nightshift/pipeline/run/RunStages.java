package dev.nightshift.pipeline.run;

import dev.nightshift.pipeline.store.Store;
import dev.nightshift.pipeline.task.DocumentTask;

import java.util.Objects;

/**
 * What a {@link DocumentRun} is made of: its three stages and how many documents each works on at once.
 *
 * @param preparer   fingerprints, extracts and chunks a source
 * @param processor  runs the task on a prepared document
 * @param writer     stores a source's results in one transaction
 * @param processors documents processed at once (the task's parallelism)
 * @param threads    sources prepared at once (extraction workers)
 */
public record RunStages(Preparer preparer, SourceProcessor processor, ResultWriter writer, int processors, int threads) {
    public RunStages {
        Objects.requireNonNull(preparer);
        Objects.requireNonNull(processor);
        Objects.requireNonNull(writer);
        if (threads < 1 || processors < 1) throw new IllegalArgumentException("threads and processors must be at least 1");
    }

    /** A local run: prior work from and results into {@code store}. */
    public static RunStages local(Store store, Extractor extractor, DocumentTask work, int threads, SkipPolicy skipPolicy) {
        return local(store, extractor, work, new StoreWriter(store), threads, skipPolicy);
    }

    /**
     * A local run writing through {@code writer} (the store's writer, or one wrapping it: a search index follows it).
     * Pictures are recorded; {@code image.PictureProcessor.stages} builds a run that describes them.
     */
    public static RunStages local(Store store, Extractor extractor, DocumentTask work, ResultWriter writer, int threads,
                                  SkipPolicy skipPolicy) {
        return new RunStages(new DocumentPreparer(store, extractor, skipPolicy, work.profile()),
                new DocumentProcessor(work).reusing(store::reusableOutput), writer, work.profile().parallelism(), threads);
    }
}
