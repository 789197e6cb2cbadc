package dev.nightshift.pipeline.extract;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The subset of JSON Schema that {@code nightshift extract} takes: an object at the root; objects with
 * {@code properties} and {@code required}; strings with {@code enum}, {@code format: date} or
 * {@code maxLength}; numbers, integers, booleans; arrays of any of these ({@code minItems},
 * {@code maxItems}); any of these but the root may also be null ({@code "type": ["string", "null"]}, as
 * schemas written for other structured-output tools say it; an {@code enum} may then list null);
 * {@code description} everywhere (it goes into the prompt). {@link #parse} refuses
 * anything else, naming every keyword and place it does not take, rather than generate something the
 * schema did not mean.
 */
public sealed interface FieldSchema {
    String description();

    /** The JSON type's name as stored with each value: object, string, number, integer, boolean, array. */
    String typeName();

    record ObjectType(Map<String, FieldSchema> properties, Set<String> required, String description) implements FieldSchema {
        public ObjectType {
            properties = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(properties));
            required = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(required));
        }

        @Override
        public String typeName() {
            return "object";
        }
    }

    /** @param maxLength the most characters, or -1 */
    record StringType(List<String> values, boolean date, int maxLength, String description) implements FieldSchema {
        public StringType {
            values = List.copyOf(values);
        }

        @Override
        public String typeName() {
            return date ? "date" : "string";
        }
    }

    record NumberType(boolean integer, String description) implements FieldSchema {
        @Override
        public String typeName() {
            return integer ? "integer" : "number";
        }
    }

    record BooleanType(String description) implements FieldSchema {
        @Override
        public String typeName() {
            return "boolean";
        }
    }

    /**
     * A value of {@code value}'s schema, or null: what a model writes for a field the text does not give.
     * Never wraps another {@code NullableType}.
     */
    record NullableType(FieldSchema value) implements FieldSchema {
        @Override
        public String description() {
            return value.description();
        }

        @Override
        public String typeName() {
            return value.typeName();
        }
    }

    /** The schema of the values that are not null. */
    static FieldSchema unwrap(FieldSchema s) {
        return s instanceof NullableType n ? n.value() : s;
    }

    /** @param maxItems the most items, or -1 */
    record ArrayType(FieldSchema items, int minItems, int maxItems, String description) implements FieldSchema {
        @Override
        public String typeName() {
            return "array";
        }
    }

    /** Keywords that say nothing about what is generated: taken and left alone. */
    Set<String> NOTES = Set.of("$schema", "$id", "$comment", "title", "examples", "default");

    /** The schema of {@code root}, which must be an object; throws {@link SchemaException} with everything unsupported. */
    static ObjectType parse(JsonNode root) {
        List<String> problems = new ArrayList<>();
        FieldSchema schema = Parser.node(root, "", problems);
        if (problems.isEmpty() && !(schema instanceof ObjectType)) problems.add("the root must be an object (\"type\": \"object\")");
        if (!problems.isEmpty()) throw new SchemaException(problems);
        return (ObjectType) schema;
    }

    /** What is wrong with {@code value} under this schema, one line per problem with its path; empty when valid. */
    default List<String> validate(JsonNode value) {
        List<String> problems = new ArrayList<>();
        Parser.validate(this, value, "$", problems);
        return problems;
    }

    final class Parser {
        private Parser() {
        }

        private static FieldSchema node(JsonNode n, String path, List<String> problems) {
            String where = path.isEmpty() ? "the root" : path;
            if (!n.isObject()) {
                problems.add(where + ": a schema must be a JSON object");
                return null;
            }
            JsonNode type = n.get("type");
            if (type != null && type.isArray()) return nullable(n, type, path, problems);
            if (type == null || !type.isTextual()) {
                problems.add(where + ": \"type\" must be one of object, string, number, integer, boolean, array");
                return null;
            }
            String description = n.path("description").asText("");
            Set<String> allowed = new LinkedHashSet<>(NOTES);
            allowed.add("type");
            allowed.add("description");
            FieldSchema out = switch (type.asText()) {
                case "object" -> {
                    allowed.addAll(List.of("properties", "required", "additionalProperties"));
                    Map<String, FieldSchema> properties = new LinkedHashMap<>();
                    for (Iterator<Map.Entry<String, JsonNode>> it = n.path("properties").fields(); it.hasNext(); ) {
                        Map.Entry<String, JsonNode> e = it.next();
                        FieldSchema p = node(e.getValue(), path.isEmpty() ? e.getKey() : path + "." + e.getKey(), problems);
                        if (p != null) properties.put(e.getKey(), p);
                    }
                    Set<String> required = new LinkedHashSet<>();
                    for (JsonNode r : n.path("required")) {
                        if (!n.path("properties").has(r.asText())) problems.add(where + ": \"required\" names " + r + ", which is not a property");
                        required.add(r.asText());
                    }
                    JsonNode additional = n.get("additionalProperties");
                    if (additional != null && !additional.isBoolean())
                        problems.add(where + ": \"additionalProperties\" may only be true or false (only the listed properties are written)");
                    yield new ObjectType(properties, required, description);
                }
                case "string" -> {
                    allowed.addAll(List.of("enum", "format", "maxLength"));
                    List<String> values = new ArrayList<>();
                    for (JsonNode v : n.path("enum")) {
                        if (!v.isTextual()) problems.add(where + ": \"enum\" of a string takes strings only, not " + v);
                        values.add(v.asText());
                    }
                    if (n.has("enum") && values.isEmpty()) problems.add(where + ": \"enum\" is empty");
                    String format = n.path("format").asText(null);
                    if (format != null && !format.equals("date")) problems.add(where + ": \"format\": \"" + format + "\" is not supported (only date)");
                    int maxLength = -1;
                    if (n.has("maxLength")) {
                        maxLength = n.get("maxLength").asInt(-1);
                        if (!n.get("maxLength").canConvertToInt() || maxLength < 1 || maxLength > 2000)
                            problems.add(where + ": \"maxLength\" must be a whole number from 1 to 2000");
                    }
                    yield new StringType(values, "date".equals(format), maxLength, description);
                }
                case "number", "integer" -> new NumberType(type.asText().equals("integer"), description);
                case "boolean" -> new BooleanType(description);
                case "array" -> {
                    allowed.addAll(List.of("items", "minItems", "maxItems"));
                    FieldSchema items = n.has("items") ? node(n.get("items"), path + "[]", problems) : null;
                    if (!n.has("items")) problems.add(where + ": an array needs \"items\"");
                    if (unwrap(items) instanceof ArrayType) problems.add(where + ": arrays of arrays are not supported");
                    int min = n.path("minItems").asInt(0);
                    int max = n.has("maxItems") ? n.get("maxItems").asInt(-1) : -1;
                    if (min < 0 || n.has("maxItems") && (max < min || max > 1000)) problems.add(where + ": \"minItems\"/\"maxItems\" must satisfy 0 <= min <= max <= 1000");
                    yield new ArrayType(items, min, max, description);
                }
                default -> {
                    problems.add(where + ": \"type\": \"" + type.asText() + "\" is not supported (object, string, number, integer, boolean, array)");
                    yield null;
                }
            };
            for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
                String keyword = it.next();
                if (!allowed.contains(keyword)) problems.add(where + ": \"" + keyword + "\" is not supported here");
            }
            return out;
        }

        /** {@code "type": [T, "null"]} (either order): T's schema, or null. */
        private static FieldSchema nullable(JsonNode n, JsonNode types, String path, List<String> problems) {
            String where = path.isEmpty() ? "the root" : path;
            List<String> names = new ArrayList<>();
            for (JsonNode t : types) names.add(t.isTextual() ? t.asText() : t.toString());
            if (path.isEmpty() || names.size() != 2 || !names.contains("null") || names.get(0).equals(names.get(1))) {
                problems.add(where + ": \"type\" may be a list only of one type and \"null\"" + (path.isEmpty() ? " below the root" : "")
                        + ", not " + types);
                return null;
            }
            com.fasterxml.jackson.databind.node.ObjectNode one = ((com.fasterxml.jackson.databind.node.ObjectNode) n).deepCopy();
            one.put("type", names.get(names.get(0).equals("null") ? 1 : 0));
            // An enum of a nullable value may list null too: null is written as such, not as one of the values.
            if (one.get("enum") instanceof com.fasterxml.jackson.databind.node.ArrayNode values) {
                for (int i = values.size() - 1; i >= 0; i--) if (values.get(i).isNull()) values.remove(i);
            }
            FieldSchema value = node(one, path, problems);
            return value == null ? null : new NullableType(value);
        }

        private static void validate(FieldSchema s, JsonNode v, String path, List<String> problems) {
            if (s instanceof NullableType n) {
                if (!v.isNull()) validate(n.value(), v, path, problems);
            } else if (s instanceof ObjectType o) {
                if (!v.isObject()) {
                    problems.add(path + ": not an object");
                    return;
                }
                for (String r : o.required()) if (!v.has(r)) problems.add(path + ": " + r + " is missing");
                for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    FieldSchema p = o.properties().get(e.getKey());
                    if (p == null) problems.add(path + ": " + e.getKey() + " is not a property");
                    else validate(p, e.getValue(), path + "." + e.getKey(), problems);
                }
            } else if (s instanceof StringType t) {
                if (!v.isTextual()) {
                    problems.add(path + ": not a string");
                    return;
                }
                String text = v.asText();
                if (!t.values().isEmpty() && !t.values().contains(text)) problems.add(path + ": " + text + " is not one of " + t.values());
                if (t.maxLength() >= 0 && text.codePointCount(0, text.length()) > t.maxLength()) problems.add(path + ": longer than " + t.maxLength());
                if (t.date()) {
                    try {
                        if (!text.matches("\\d{4}-\\d{2}-\\d{2}")) throw new DateTimeException(text);
                        LocalDate.parse(text);
                    } catch (DateTimeException e) {
                        problems.add(path + ": " + text + " is not a date YYYY-MM-DD");
                    }
                }
            } else if (s instanceof NumberType t) {
                if (!v.isNumber() || t.integer() && !v.isIntegralNumber()) problems.add(path + ": not " + (t.integer() ? "an integer" : "a number"));
            } else if (s instanceof BooleanType) {
                if (!v.isBoolean()) problems.add(path + ": not a boolean");
            } else if (s instanceof ArrayType a) {
                if (!v.isArray()) {
                    problems.add(path + ": not an array");
                    return;
                }
                if (v.size() < a.minItems() || a.maxItems() >= 0 && v.size() > a.maxItems()) problems.add(path + ": " + v.size() + " items");
                for (int i = 0; i < v.size(); i++) validate(a.items(), v.get(i), path + "[" + i + "]", problems);
            }
        }
    }
}
