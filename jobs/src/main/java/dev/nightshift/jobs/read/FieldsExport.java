package dev.nightshift.jobs.read;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nightshift.connectors.export.Csv;
import dev.nightshift.pipeline.store.FieldRows;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code export --fields}: every document's object under an extract task.
 * <ul>
 *   <li>CSV: a row per document; locator, task, one column per top-level field (text as is, numbers and booleans
 *       as written, lists and objects as JSON), and {@code not_in_source}: the paths whose value the text does not
 *       write;</li>
 *   <li>JSONL: a line per document: locator, task, the object, and every value with its evidence.</li>
 * </ul>
 */
final class FieldsExport {
    private static final ObjectMapper JSON = new ObjectMapper();

    private FieldsExport() {
    }

    /** @return the documents written */
    static long csv(FieldRows rows, String task, Writer w) throws IOException {
        // Columns: the top-level fields in the order first met (a first pass reads the objects only).
        Set<String> columns = new LinkedHashSet<>();
        rows.documents(task, null, d -> object(d).fieldNames().forEachRemaining(columns::add));
        List<Object> header = new ArrayList<>(List.of("locator", "task"));
        header.addAll(columns);
        header.add("not_in_source");
        w.write(Csv.row(header.toArray()));
        return each(rows, task, d -> {
            JsonNode o = object(d);
            List<Object> row = new ArrayList<>(List.of(d.locator(), d.task()));
            for (String c : columns) {
                JsonNode v = o.get(c);
                row.add(v == null || v.isNull() ? "" : v.isTextual() ? v.asText() : v.toString());
            }
            row.add(String.join(" ", d.values().stream().filter(v -> v.evidence().equals("not_in_source")).map(FieldRows.Value::path).toList()));
            w.write(Csv.row(row.toArray()));
        });
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
