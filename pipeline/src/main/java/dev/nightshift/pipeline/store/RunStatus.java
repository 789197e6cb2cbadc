package dev.nightshift.pipeline.store;

/** How a run ended. A run left {@code RUNNING} by a killed process is marked {@code ABANDONED} by the next one. */
public enum RunStatus {
    RUNNING, COMPLETED, INTERRUPTED, FAILED, ABANDONED;

    public String dbValue() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
