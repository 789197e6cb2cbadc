package dev.nightshift.pipeline.store;

import java.util.Optional;

/**
 * What earlier runs left, as the preparation stage asks for it: the database locally ({@link Store}),
 * an earlier run's results elsewhere.
 */
public interface PriorWorkLookup {
    /** The size, modification time and digest last recorded for a locator. */
    Optional<Store.KnownVersion> latestVersion(String locator);

    /** What was done to these bytes under this task and extractor. */
    PriorWork priorWork(String locator, String sha256, String taskKey, String extractor, int maxAttempts);
}
