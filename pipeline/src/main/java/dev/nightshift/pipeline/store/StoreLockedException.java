package dev.nightshift.pipeline.store;

/** Another nightshift process has the database open; it is left untouched. */
public final class StoreLockedException extends StoreException {
    public StoreLockedException(String message) {
        super(message);
    }
}
