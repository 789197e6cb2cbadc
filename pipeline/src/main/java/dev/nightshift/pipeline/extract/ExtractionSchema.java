package dev.nightshift.pipeline.extract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.nightshift.pipeline.core.Hashing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A schema file as a task uses it: its name (the file's, {@code invoice} for {@code invoice.json}), the
 * parsed subset, a digest of its canonical JSON (a changed schema is a changed task), and the lines the
 * prompt lists the fields with.
 *
 * @param json the file's text, as read once: what travels to Spark's executors, which parse it again
 */
public record ExtractionSchema(String name, FieldSchema.ObjectType schema, String digest, String json) {
    private static final ObjectMapper CANONICAL = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    /**
     * Reads a schema file.
     *
     * @throws IOException      when the file cannot be read or is not JSON
     * @throws SchemaException  when it asks for what the subset does not take
     */
    public static ExtractionSchema read(Path file) throws IOException {
        String base = file.getFileName().toString().replaceFirst("(\\.schema)?\\.json$", "");
        String name = base.replaceAll("[^\\p{L}\\p{N}_-]+", "-");
        return of(name.isEmpty() ? "schema" : name, Files.readString(file));
    }

    /**
     * A schema from its text.
     *
     * @throws IOException     when the text is not JSON
     * @throws SchemaException when it asks for what the subset does not take
     */
    public static ExtractionSchema of(String name, String json) throws IOException {
        JsonNode root = new ObjectMapper().readTree(json);
        FieldSchema.ObjectType schema = FieldSchema.parse(root);
        Object tree = CANONICAL.treeToValue(root, Object.class);
        return new ExtractionSchema(name, schema, Hashing.sha256(CANONICAL.writeValueAsString(tree)).substring(0, 16), json);
    }

    /** One line per field, nested ones indented: name (type, required): description. */
    public String promptLines() {
        StringBuilder out = new StringBuilder();
        lines(schema, "", out);
        return out.toString().stripTrailing();
    }

    private static void lines(FieldSchema.ObjectType o, String indent, StringBuilder out) {
        for (Map.Entry<String, FieldSchema> e : o.properties().entrySet()) {
            FieldSchema f = FieldSchema.unwrap(e.getValue());
            out.append(indent).append("- ").append(e.getKey()).append(" (").append(kind(f));
            if (e.getValue() instanceof FieldSchema.NullableType) out.append(", or null when the text does not give it");
            else if (o.required().contains(e.getKey())) out.append(", required");
            out.append(")");
            if (!f.description().isBlank()) out.append(": ").append(f.description().strip());
            if (f instanceof FieldSchema.StringType s && !s.values().isEmpty()) out.append(" One of: ").append(String.join(", ", s.values())).append('.');
            out.append('\n');
            FieldSchema inner = f instanceof FieldSchema.ArrayType a ? FieldSchema.unwrap(a.items()) : f;
            if (inner instanceof FieldSchema.ObjectType nested) lines(nested, indent + "  ", out);
        }
    }

    private static String kind(FieldSchema f) {
        if (f instanceof FieldSchema.NullableType n) return kind(n.value()) + " or null";
        if (f instanceof FieldSchema.ArrayType a) return "list of " + kind(a.items());
        if (f instanceof FieldSchema.StringType s && s.date()) return "date";
        if (f instanceof FieldSchema.StringType s && s.maxLength() > 0) return "text, at most " + s.maxLength() + " characters";
        if (f instanceof FieldSchema.StringType) return "text";
        return f.typeName();
    }
}
