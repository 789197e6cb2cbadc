package dev.nightshift.pipeline.extract;

import java.util.List;

/** A schema outside the subset {@link FieldSchema} takes: every problem found, one per line. */
public final class SchemaException extends IllegalArgumentException {
    private final List<String> problems;

    public SchemaException(List<String> problems) {
        super("the schema is not supported:\n  " + String.join("\n  ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
