package dev.nightshift.jobs.read;

import dev.nightshift.jobs.cli.Terminal;
import dev.nightshift.pipeline.store.FieldRows;

import java.io.PrintWriter;

/** A document's extracted fields as {@code show} prints them: each value, then where the text writes it or the flag. */
final class FieldsText {
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private FieldsText() {
    }

    static void print(PrintWriter out, FieldRows.DocumentFields d) {
        out.println("  fields (" + Terminal.line(d.task()) + "):");
        // Top-level fields the object holds as null: the model's word that the text does not give them (no value row).
        java.util.List<String> nulls = new java.util.ArrayList<>();
        try {
            JSON.readTree(d.object()).fields().forEachRemaining(e -> {
                if (e.getValue().isNull()) nulls.add(e.getKey());
            });
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        int width = Math.max(d.values().stream().mapToInt(v -> v.path().length()).max().orElse(0),
                nulls.stream().mapToInt(String::length).max().orElse(0));
        for (FieldRows.Value v : d.values()) {
            String value = Terminal.line(clip(v.json(), 60));
            String evidence = switch (v.evidence()) {
                case "found" -> "found at " + v.start() + "-" + v.end() + (v.quote() == null ? "" : ": \"" + Terminal.line(clip(v.quote(), 50)) + "\"");
                case "not_in_source" -> "NOT IN SOURCE (chunk " + v.chunk() + ")";
                default -> "not checked";
            };
            out.printf("    %-" + Math.max(1, width) + "s  %s  %s%n", Terminal.line(v.path()), value, evidence);
        }
        for (String n : nulls) out.printf("    %-" + Math.max(1, width) + "s  null  (the text does not give it, says the model)%n", Terminal.line(n));
    }

    private static String clip(String s, int n) {
        return s.length() <= n ? s : s.substring(0, n - 1) + "…";
    }
}
