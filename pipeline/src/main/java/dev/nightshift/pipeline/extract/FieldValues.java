package dev.nightshift.pipeline.extract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nightshift.pipeline.core.Chunk;
import dev.nightshift.pipeline.core.FieldValue;
import dev.nightshift.pipeline.core.FieldValue.Evidence;
import dev.nightshift.pipeline.ground.Span;
import dev.nightshift.pipeline.ground.ValueSearch;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A document's fields from its chunks' objects: each value looked up in the chunk it came from
 * ({@link ValueSearch}), then one object for the document, in the schema's shape:
 * <ul>
 *   <li>a scalar: the first chunk's value that the chunk writes; if none does, the first non-empty one
 *       (flagged {@code not_in_source}); </li>
 *   <li>an array: the items of every chunk in chunk order, each once (up to {@code maxItems});</li>
 *   <li>an object: field by field; a field no chunk wrote stays out (it was optional);</li>
 *   <li>a nullable value: null only when every chunk wrote null (a null is not stored as a value).</li>
 * </ul>
 * Every leaf value becomes a {@link FieldValue} with its chunk and its span in the document's text, or flagged
 * {@code not_in_source}; booleans, blank strings and an enum's values the text does not write are
 * {@code not_checked} (a category need not be a word of the text).
 */
public final class FieldValues {
    private FieldValues() {
    }

    /** The document's object and its values. */
    public record Merged(JsonNode object, List<FieldValue> values) {
    }

    /** A value and the chunk it came from. */
    private record Candidate(JsonNode node, Chunk chunk) {
    }

    /** @param objects each chunk's object, in the order of {@code chunks} */
    public static Merged merge(FieldSchema.ObjectType schema, List<Chunk> chunks, List<JsonNode> objects) {
        if (chunks.size() != objects.size()) throw new IllegalArgumentException("one object per chunk");
        List<Candidate> candidates = new ArrayList<>();
        for (int i = 0; i < chunks.size(); i++) candidates.add(new Candidate(objects.get(i), chunks.get(i)));
        List<FieldValue> values = new ArrayList<>();
        JsonNode object = object(schema, candidates, "", values);
        return new Merged(object, values);
    }

    private static JsonNode merge(FieldSchema schema, List<Candidate> candidates, String path, List<FieldValue> values) {
        if (schema instanceof FieldSchema.NullableType n) {
            // null says the chunk does not give the value: the other chunks' values count, and no value is stored.
            List<Candidate> given = candidates.stream().filter(c -> !c.node.isNull()).toList();
            return given.isEmpty() ? NullNode.getInstance() : merge(n.value(), given, path, values);
        }
        if (schema instanceof FieldSchema.ObjectType o) return object(o, candidates, path, values);
        if (schema instanceof FieldSchema.ArrayType a) return array(a, candidates, path, values);
        Candidate chosen = null;
        FieldValue chosenValue = null;
        for (Candidate c : candidates) {
            FieldValue v = leaf(schema, c, path);
            boolean empty = c.node.isTextual() && c.node.asText().isBlank();
            if (chosen == null || chosenValue.evidence() != Evidence.FOUND && v.evidence() == Evidence.FOUND
                    || chosenValue.evidence() != Evidence.FOUND && chosen.node.isTextual() && chosen.node.asText().isBlank() && !empty) {
                chosen = c;
                chosenValue = v;
            }
            if (chosenValue.evidence() == Evidence.FOUND) break;
        }
        values.add(chosenValue);
        return chosen.node;
    }

    private static ObjectNode object(FieldSchema.ObjectType o, List<Candidate> candidates, String path, List<FieldValue> values) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        for (Map.Entry<String, FieldSchema> p : o.properties().entrySet()) {
            List<Candidate> present = new ArrayList<>();
            for (Candidate c : candidates) {
                JsonNode v = c.node.get(p.getKey());
                if (v != null) present.add(new Candidate(v, c.chunk));
            }
            if (present.isEmpty()) continue;
            out.set(p.getKey(), merge(p.getValue(), present, path.isEmpty() ? p.getKey() : path + "." + p.getKey(), values));
        }
        return out;
    }

    private static ArrayNode array(FieldSchema.ArrayType a, List<Candidate> candidates, String path, List<FieldValue> values) {
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        List<JsonNode> seen = new ArrayList<>();
        for (Candidate c : candidates) {
            for (JsonNode item : c.node) {
                if (seen.contains(item) || a.maxItems() >= 0 && seen.size() >= a.maxItems()) continue;
                seen.add(item);
                out.add(merge(a.items(), List.of(new Candidate(item, c.chunk)), path + "[" + (seen.size() - 1) + "]", values));
            }
        }
        return out;
    }

    /** A scalar looked up in its chunk. */
    private static FieldValue leaf(FieldSchema schema, Candidate c, String path) {
        String field = path.split("[.\\[]", 2)[0];
        JsonNode node = c.node;
        String text = c.chunk.text();
        Optional<Span> span;
        String type = schema.typeName();
        if (node.isBoolean() || node.isTextual() && node.asText().isBlank()) span = null;
        else if (node.isNumber()) span = ValueSearch.number(text, new BigDecimal(node.asText()));
        else if (schema instanceof FieldSchema.StringType s && s.date()) span = date(text, node.asText());
        else span = ValueSearch.words(text, node.asText());
        // One of an enum's values is a choice among categories ("rent", "invoice"): found when the text writes it,
        // but not flagged when it does not, the text needing no such word.
        boolean choice = schema instanceof FieldSchema.StringType s && !s.values().isEmpty();
        if (span == null || span.isEmpty() && choice) return new FieldValue(field, path, node.toString(), type, Evidence.NOT_CHECKED, -1, -1, c.chunk.seq());
        if (span.isEmpty()) return new FieldValue(field, path, node.toString(), type, Evidence.NOT_IN_SOURCE, -1, -1, c.chunk.seq());
        int offset = c.chunk.charStart();
        return new FieldValue(field, path, node.toString(), type, Evidence.FOUND, offset + span.get().start(), offset + span.get().end(), c.chunk.seq());
    }

    private static Optional<Span> date(String text, String value) {
        try {
            Optional<Span> found = ValueSearch.date(text, LocalDate.parse(value));
            return found.isPresent() ? found : ValueSearch.words(text, value);
        } catch (java.time.DateTimeException e) {
            return ValueSearch.words(text, value);
        }
    }
}
