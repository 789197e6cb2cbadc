package dev.nightshift.pipeline.run;

import dev.nightshift.pipeline.image.ImageDescriber;
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
public record RunStages(Preparer preparer, DocumentProcessor processor, ResultWriter writer, int processors, int threads) {
    public RunStages {
        Objects.requireNonNull(preparer);
        Objects.requireNonNull(processor);
        Objects.requireNonNull(writer);
        if (threads < 1 || processors < 1) throw new IllegalArgumentException("threads and processors must be at least 1");
    }

    /** A local run without pictures described: prior work from and results into {@code store}. */
    public static RunStages local(Store store, Extractor extractor, DocumentTask work, int threads, SkipPolicy skipPolicy) {
        return local(store, extractor, work, null, new StoreWriter(store), threads, skipPolicy);
    }

    /**
     * A local run, with a vision model describing pictures ({@code images}, or null to record them only), writing
     * through {@code writer} (the store's writer, or one wrapping it: a search index follows it). With {@code images}
     * the extractor must keep embedded pictures' bytes (and say so in its name, so that pictures recorded by an
     * extractor that did not are looked at again).
     */
    public static RunStages local(Store store, Extractor extractor, DocumentTask work, ImageDescriber images, ResultWriter writer,
                                  int threads, SkipPolicy skipPolicy) {
        return new RunStages(new DocumentPreparer(store, extractor, skipPolicy, work.profile()).keepingImages(images != null),
                new DocumentProcessor(work, images).reusing(store::reusableOutput), writer,
                // Pictures wait on the shared generator like text does: room for a batch of them too.
                work.profile().parallelism() + (images == null ? 0 : work.profile().parallelism()), threads);
    }
}
