package dev.nightshift.pipeline.core;

/**
 * The closed set of tasks, with what differs between them, so that the run and the store never test a
 * task's name: how a failure on usable text is counted, how outputs are checked, whether a summary sees
 * the descriptions of its document's pictures. A task's name starts with its kind's word
 * ({@code summary}, {@code translation:de}).
 */
public enum TaskKind {
    /** A document's summary, extractive or by a model; a model's summary sees its pictures' descriptions. */
    SUMMARY("summary", FailureCategory.SUMMARIZE, false, true),
    /** A document's translation into one language: checked for its numbers and dates only, its words being another language's. */
    TRANSLATION("translation", FailureCategory.TRANSLATE, true, false),
    /** A picture's description by a vision model. */
    IMAGE("image", FailureCategory.DESCRIBE, false, false),
    /** A schema's fields read out of a document ({@code extract:invoice}): JSON whose numbers and dates are checked. */
    EXTRACT("extract", FailureCategory.FIELDS, true, false),
    /** An answer to a question from the archive's chunks: it belongs to no document, so it fails none. */
    ANSWER("answer", null, false, false);

    private final String word;
    private final FailureCategory failure;
    private final boolean factsOnly;
    private final boolean seesPictures;

    TaskKind(String word, FailureCategory failure, boolean factsOnly, boolean seesPictures) {
        this.word = word;
        this.failure = failure;
        this.factsOnly = factsOnly;
        this.seesPictures = seesPictures;
    }

    /** The kind a task name starts with: {@code translation:de} is a translation. */
    public static TaskKind of(String taskName) {
        String first = taskName.contains(":") ? taskName.substring(0, taskName.indexOf(':')) : taskName;
        for (TaskKind k : values()) if (k.word.equals(first)) return k;
        throw new IllegalArgumentException("not a task: " + taskName);
    }

    /** The word a task name of this kind starts with: {@code summary}, {@code translation}. */
    public String word() {
        return word;
    }

    /** How a document is counted when this task fails on its usable text; null for a task of no document. */
    public FailureCategory failure() {
        return failure;
    }

    /** True when the check of an output looks at its numbers and dates only, not at its words. */
    public boolean checksFactsOnly() {
        return factsOnly;
    }

    /** True when the document's pictures are described first and their descriptions added to its text. */
    public boolean seesPictures() {
        return seesPictures;
    }
}
