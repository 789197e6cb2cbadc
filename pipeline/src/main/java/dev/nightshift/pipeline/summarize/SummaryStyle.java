package dev.nightshift.pipeline.summarize;

/** How a summary is laid out. */
public enum SummaryStyle {
    PARAGRAPH("as one paragraph"),
    BULLETS("as a list of the key points, one per line, each starting with '- '");

    private final String instruction;

    SummaryStyle(String instruction) {
        this.instruction = instruction;
    }

    /** The words the prompt templates use for it. */
    public String instruction() {
        return instruction;
    }

    public String cliName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
