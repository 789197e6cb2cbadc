package dev.nightshift.jobs.run;

import dev.nightshift.connectors.search.LuceneIndex;
import dev.nightshift.pipeline.run.ProcessedDocument;
import dev.nightshift.pipeline.run.ResultWriter;
import dev.nightshift.pipeline.store.EventKind;
import dev.nightshift.pipeline.store.IndexFeed;

import java.util.List;

/**
 * Writes to the database, then brings the search index up to what the database holds: documents are
 * searchable within about a second of their commit (the index commits at most once a second, and
 * once more at the end of the run). The index is only ever behind the database, never ahead.
 */
final class IndexingWriter implements ResultWriter, AutoCloseable {
    private static final long COMMIT_EVERY_NANOS = 1_000_000_000L;

    private final ResultWriter store;
    private final LuceneIndex index;
    private final IndexFeed feed;
    private long lastCatchUp = System.nanoTime();

    IndexingWriter(ResultWriter store, LuceneIndex index, IndexFeed feed) {
        this.store = store;
        this.index = index;
        this.feed = feed;
    }

    @Override
    public void write(long runId, List<ProcessedDocument> documents) {
        store.write(runId, documents);
        synchronized (this) {
            if (System.nanoTime() - lastCatchUp < COMMIT_EVERY_NANOS) return;
            lastCatchUp = System.nanoTime();
        }
        index.catchUp(feed);
    }

    @Override
    public void event(long runId, String locator, EventKind kind, String detail) {
        store.event(runId, locator, kind, detail);
    }

    /** The documents stored since the last catch-up. */
    @Override
    public void close() {
        index.catchUp(feed);
    }
}
