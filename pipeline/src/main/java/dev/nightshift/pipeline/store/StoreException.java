package dev.nightshift.pipeline.store;

/** The database could not be opened, migrated or written. The message is meant for the user. */
public class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public StoreException(String message) {
        super(message);
    }
}
