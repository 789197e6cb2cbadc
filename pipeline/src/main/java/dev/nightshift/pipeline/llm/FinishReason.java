package dev.nightshift.pipeline.llm;

/** Why generation of a row stopped. */
public enum FinishReason {
    /** The model produced an end-of-sequence id. */
    STOP,
    /** The row reached its maximum number of new tokens. */
    LENGTH;

    public String dbValue() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
