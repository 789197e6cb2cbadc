package dev.nightshift.pipeline.core;

import java.util.Locale;
import java.util.Objects;

/**
 * One value extracted from a document by a schema, with where the document says it: a row of the
 * {@code fields} table.
 *
 * @param field    the top-level field it belongs to ({@code total}, {@code items})
 * @param path     where it is in the object: {@code total}, {@code supplier.name}, {@code items[2].amount}
 * @param json     the value as JSON ({@code "ACME GmbH"}, {@code 1234.5}, {@code true})
 * @param type     string, date, number, integer or boolean
 * @param evidence whether the chunk it came from writes it
 * @param start    where the document's text writes it ([start, end) of the extraction), or -1
 * @param end      see {@code start}
 * @param chunk    the chunk it was read from (its sequence number)
 */
public record FieldValue(String field, String path, String json, String type, Evidence evidence, int start, int end, int chunk) {
    /** The closed set of {@code fields.evidence} values. */
    public enum Evidence {
        /** The chunk writes the value (a number or a date in any form, text ignoring case and blanks). */
        FOUND,
        /** Looked for and not found: the model may have made it up. */
        NOT_IN_SOURCE,
        /** Not looked for: a boolean, or an empty string. */
        NOT_CHECKED;

        public String dbValue() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Evidence ofDb(String value) {
            return valueOf(value.toUpperCase(Locale.ROOT));
        }
    }

    public FieldValue {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(json, "json");
        Objects.requireNonNull(evidence, "evidence");
        if (evidence == Evidence.FOUND && (start < 0 || end < start)) throw new IllegalArgumentException("found evidence needs a span");
    }
}
