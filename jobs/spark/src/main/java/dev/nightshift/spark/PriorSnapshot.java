package dev.nightshift.spark;

import dev.nightshift.pipeline.core.ExtractionStatus;
import dev.nightshift.pipeline.store.PriorWork;
import dev.nightshift.pipeline.store.PriorWorkLookup;
import dev.nightshift.pipeline.store.Store;

import java.io.Serializable;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What a previous database knew of the job's files, read on the driver and sent with the job: for each
 * file its latest stored version and what was done to those bytes under the job's task. Partitions decide
 * from it as a local run decides from its database (SkipPolicy): an unchanged file already done is skipped
 * without being extracted again (one whose size and modification time match is not even read).
 */
final class PriorSnapshot implements PriorWorkLookup, Serializable {
    private static final long serialVersionUID = 1L;

    record Entry(String sha256, long size, long modifiedMillis, long documentId, boolean completed, String lastFailure,
                 String failureReason, long failedAttempts, long openEntries) implements Serializable {
    }

    private final Map<String, Entry> entries = new HashMap<>();

    void put(String locator, Store.KnownVersion v, PriorWork w) {
        entries.put(locator, new Entry(v.sha256(), v.sizeBytes(), v.modifiedAt() == null ? -1 : v.modifiedAt().toEpochMilli(), w.documentId(),
                w.completed(), w.lastFailure() == null ? null : w.lastFailure().name(), w.failureReason(), w.failedAttempts(), w.openEntries()));
    }

    int size() {
        return entries.size();
    }

    @Override
    public Optional<Store.KnownVersion> latestVersion(String locator) {
        Entry e = entries.get(locator);
        return e == null ? Optional.empty()
                : Optional.of(new Store.KnownVersion(e.sha256(), e.size(), e.modifiedMillis() < 0 ? null : Instant.ofEpochMilli(e.modifiedMillis())));
    }

    /** Known for a file's latest stored bytes; anything else (other bytes, entries inside a container) is new. */
    @Override
    public PriorWork priorWork(String locator, String sha256, String taskKey, String extractor, int maxAttempts) {
        Entry e = entries.get(locator);
        if (e == null || !e.sha256().equals(sha256)) return PriorWork.NONE;
        return new PriorWork(e.documentId(), e.completed(), e.lastFailure() == null ? null : ExtractionStatus.valueOf(e.lastFailure()),
                e.failureReason(), e.failedAttempts(), e.openEntries());
    }
}
