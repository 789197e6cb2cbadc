package dev.nightshift.pipeline.run;

import dev.nightshift.pipeline.core.ExtractionStatus;
import dev.nightshift.pipeline.core.OutputOrigin;
import dev.nightshift.pipeline.store.EventKind;
import dev.nightshift.pipeline.store.Store;

import java.util.List;
import java.util.Objects;

/**
 * Writes a source's documents to the H2 database in one transaction, then the events that tell what
 * the rows alone do not: text cut at the write limit, outputs cut at their token limit, documents
 * skipped, tasks that failed on usable text.
 */
public final class StoreWriter implements ResultWriter {
    private final Store store;

    public StoreWriter(Store store) {
        this.store = Objects.requireNonNull(store);
    }

    @Override
    public void write(long runId, List<ProcessedDocument> documents) {
        store.saveAll(runId, documents.stream().map(ProcessedDocument::result).toList());
        for (ProcessedDocument d : documents) {
            String locator = d.locator();
            ExtractionStatus status = d.result().extraction().status();
            if (d.outcome() != RunListener.Outcome.SKIPPED && status == ExtractionStatus.PARTIAL) store.event(runId, locator, EventKind.PARTIAL, d.result().extraction().error());
            long cut = cutShort(d);
            if (cut > 0) store.event(runId, locator, EventKind.CUT_SHORT, cut + " output(s) reached their token limit before the model ended them");
            if (d.outcome() == RunListener.Outcome.SKIPPED) store.event(runId, locator, EventKind.SKIPPED, d.detail());
            // A task that failed on usable text leaves no extraction status to tell it: the event does.
            if (d.failure() != null && status.read()) store.event(runId, locator, EventKind.FAILED, d.detail());
        }
    }

    @Override
    public void event(long runId, String locator, EventKind kind, String detail) {
        store.event(runId, locator, kind, detail);
    }

    /** Outputs that reached their token limit before the model ended them. */
    static long cutShort(ProcessedDocument d) {
        return d.result().outputs().stream().filter(o -> o.origin() == OutputOrigin.LENGTH).count();
    }
}
