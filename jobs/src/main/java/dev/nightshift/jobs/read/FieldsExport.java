package dev.nightshift.jobs.read;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nightshift.connectors.export.Csv;
import dev.nightshift.connectors.export.ParquetTable;
import dev.nightshift.pipeline.store.FieldOrder;
import dev.nightshift.pipeline.store.FieldRows;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code export --fields}: every document's object under an extract task.
 * <ul>
 *   <li>CSV: a row per document; locator, task, one column per top-level field (text as is, numbers and booleans
 *       as written, lists and objects as JSON), and {@code not_in_source}: the paths whose value the text does not
 *       write;</li>
 *   <li>JSONL: a line per document: locator, task, the object, and every value with its evidence;</li>
 *   <li>Parquet: the CSV's columns, typed ({@link #parquet}).</li>
 * </ul>
 */
final class FieldsExport {
    private static final ObjectMapper JSON = new ObjectMapper();

    private FieldsExport() {
    }

    /** @return the documents written */
    static long csv(FieldRows rows, String task, Writer w) throws IOException {
        Map<String, ParquetTable.Kind> fields = fields(rows, task);
        List<Object> header = new ArrayList<>(List.of("locator", "task"));
        fields.keySet().forEach(f -> header.add(columnName(f)));
        header.add("not_in_source");
        w.write(Csv.row(header.toArray()));
        return each(rows, task, d -> {
            JsonNode o = object(d);
            List<Object> row = new ArrayList<>(List.of(d.locator(), d.task()));
            for (String f : fields.keySet()) {
                JsonNode v = o.get(f);
                row.add(FieldOrder.cell(v));
            }
            row.add(notInSource(d));
            w.write(Csv.row(row.toArray()));
        });
    }

    /**
     * The columns of the CSV, typed as the schema's values are ({@link #fields}).
     *
     * @return the documents written
     */
    static long parquet(FieldRows rows, String task, OutputStream out) throws IOException {
        Map<String, ParquetTable.Kind> fields = fields(rows, task);
        List<ParquetTable.Column> columns = new ArrayList<>();
        columns.add(new ParquetTable.Column("locator", ParquetTable.Kind.STRING));
        columns.add(new ParquetTable.Column("task", ParquetTable.Kind.STRING));
        fields.forEach((f, kind) -> columns.add(new ParquetTable.Column(columnName(f), kind)));
        columns.add(new ParquetTable.Column("not_in_source", ParquetTable.Kind.STRING));
        try (ParquetTable table = new ParquetTable(out, columns)) {
            return each(rows, task, d -> {
                JsonNode o = object(d);
                List<Object> row = new ArrayList<>(List.of(d.locator(), d.task()));
                fields.forEach((f, kind) -> row.add(typed(o.get(f), kind)));
                row.add(notInSource(d));
                table.add(row.toArray());
            });
        }
    }

    /** The columns every export has; a field of the same name is written {@code field.NAME}. */
    private static final Set<String> OWN_COLUMNS = Set.of("locator", "task", "not_in_source");

    private static String columnName(String field) {
        return OWN_COLUMNS.contains(field) || field.startsWith("field.") ? "field." + field : field;
    }

    private static String notInSource(FieldRows.DocumentFields d) {
        return String.join(" ", d.values().stream().filter(v -> v.evidence().equals("not_in_source")).map(FieldRows.Value::path).toList());
    }

    /**
     * The top-level fields in the schema's order as the objects show it ({@link FieldOrder}; a first pass reads
     * the objects only), each with its column's type: what the schema declares for the field's values (a
     * {@code format: date} string is a date, an {@code integer} a whole number), JSON text for lists and objects.
     */
    private static Map<String, ParquetTable.Kind> fields(FieldRows rows, String task) throws IOException {
        Map<String, ParquetTable.Kind> fields = new java.util.HashMap<>();
        FieldOrder order = new FieldOrder();
        rows.documents(task, null, d -> {
            JsonNode o = object(d);
            order.add(o.fieldNames());
            o.fields().forEachRemaining(e -> {
                if (e.getValue().isContainerNode()) fields.put(e.getKey(), ParquetTable.Kind.JSON);
            });
            for (FieldRows.Value v : d.values()) if (v.path().equals(v.field()) && fields.get(v.field()) == null) fields.put(v.field(), kindOf(v.type()));
        });
        Map<String, ParquetTable.Kind> ordered = new LinkedHashMap<>();
        for (String f : order.order()) ordered.put(f, fields.get(f) == null ? ParquetTable.Kind.STRING : fields.get(f));
        return ordered;
    }

    /** The column type of a schema's value type. */
    private static ParquetTable.Kind kindOf(String schemaType) {
        return switch (schemaType) {
            case "date" -> ParquetTable.Kind.DATE;
            case "integer" -> ParquetTable.Kind.INT64;
            case "number" -> ParquetTable.Kind.DOUBLE;
            case "boolean" -> ParquetTable.Kind.BOOLEAN;
            case "string" -> ParquetTable.Kind.STRING;
            default -> ParquetTable.Kind.JSON;
        };
    }

    private static Object typed(JsonNode v, ParquetTable.Kind kind) {
        if (v == null || v.isNull()) return null;
        return switch (kind) {
            case STRING -> v.asText();
            case JSON -> v.toString();
            case INT64 -> v.asLong();
            case DOUBLE -> v.asDouble();
            case BOOLEAN -> v.asBoolean();
            case DATE -> date(v.asText());
        };
    }

    private static LocalDate date(String text) {
        try {
            return LocalDate.parse(text);
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    /** @return the documents written */
    static long jsonl(FieldRows rows, String task, Writer w) throws IOException {
        return each(rows, task, d -> {
            ObjectNode line = JSON.createObjectNode();
            line.put("locator", d.locator());
            line.put("task", d.task());
            line.set("fields", object(d));
            ArrayNode values = line.putArray("evidence");
            for (FieldRows.Value v : d.values()) {
                ObjectNode e = values.addObject();
                e.put("path", v.path());
                e.set("value", parse(v.json()));
                e.put("type", v.type());
                e.put("evidence", v.evidence());
                if (v.start() >= 0) {
                    e.put("start", v.start());
                    e.put("end", v.end());
                    e.put("text", v.quote());
                }
                e.put("chunk", v.chunk());
            }
            w.write(JSON.writeValueAsString(line));
            w.write('\n');
        });
    }

    /** Writes something per document; an I/O error is thrown as itself. */
    private interface Write {
        void document(FieldRows.DocumentFields d) throws IOException;
    }

    /** @return the documents written */
    private static long each(FieldRows rows, String task, Write write) throws IOException {
        long[] n = {0};
        try {
            rows.documents(task, null, d -> {
                try {
                    write.document(d);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                n[0]++;
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return n[0];
    }

    private static JsonNode object(FieldRows.DocumentFields d) {
        return parse(d.object());
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
