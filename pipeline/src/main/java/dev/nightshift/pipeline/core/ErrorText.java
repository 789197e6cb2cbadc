package dev.nightshift.pipeline.core;

/** An exception as a failure's stored reason: its class and message, {@code IllegalStateException: no chunks}. */
public final class ErrorText {
    private ErrorText() {
    }

    public static String of(Throwable e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
