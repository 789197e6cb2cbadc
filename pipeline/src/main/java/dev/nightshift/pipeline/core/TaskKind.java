package dev.nightshift.pipeline.core;

/**
 * The closed set of tasks, with what differs between them, so that the run and the store never test a
 * task's name: how a failure on usable text is counted, how outputs are checked, whether a summary sees
 * the descriptions of its document's pictures. A task's name starts with its kind's word
 * ({@code summary}, {@code translation:de}).
 */
public enum TaskKind {
    /** A document's summary, extractive or by a model; a model's summary sees its pictures' descriptions. */
    SUMMARY("summary", FailureCategory.SUMMARIZE, Check.SENTENCES, true),
    /** A document's translation into one language: checked for its numbers and dates only, its words being another language's. */
    TRANSLATION("translation", FailureCategory.TRANSLATE, Check.FACTS, false),
    /** A picture's description by a vision model. */
    IMAGE("image", FailureCategory.DESCRIBE, Check.SENTENCES, false),
    /** A schema's fields read out of a document ({@code extract:invoice}): JSON whose values are checked one by one. */
    EXTRACT("extract", FailureCategory.FIELDS, Check.VALUES, false),
    /** An answer to a question from the archive's chunks: it belongs to no document, so it fails none. */
    ANSWER("answer", null, Check.SENTENCES, false);

    /** How a task's outputs are checked against the text they were made from. */
    public enum Check {
        /** The grounding check, sentence by sentence. */
        SENTENCES,
        /** The grounding check on numbers and dates only. */
        FACTS,
        /**
         * Value by value, as the output is made (each value's evidence in its chunk, {@code extract.FieldValues}):
         * the grounding check would only repeat it for the numbers and dates.
         */
        VALUES
    }

    private final String word;
    private final FailureCategory failure;
    private final Check check;
    private final boolean seesPictures;

    TaskKind(String word, FailureCategory failure, Check check, boolean seesPictures) {
        this.word = word;
        this.failure = failure;
        this.check = check;
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

    /** How this task's outputs are checked. */
    public Check check() {
        return check;
    }

    /** True when the check of an output looks at its numbers and dates only, not at its words. */
    public boolean checksFactsOnly() {
        return check == Check.FACTS;
    }

    /** True when the document's pictures are described first and their descriptions added to its text. */
    public boolean seesPictures() {
        return seesPictures;
    }
}
