package dev.nightshift.pipeline.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Merges the tables of another nightshift database (a cluster partition's, read back from Parquet) into
 * this one, in one transaction per partition: sources and document versions that exist already are matched
 * (by locator hash, by source and SHA-256), everything else gets new ids, and every reference is mapped to
 * them. The partition is recorded in {@code imports}: importing it again changes nothing.
 */
public final class StoreImport {
    /** The tables a partition carries, in the order their references allow. */
    public static final List<String> TABLES = List.of("sources", "documents", "document_entries", "extractions", "chunks", "outputs",
            "lineage", "groundings", "fields", "events");

    private StoreImport() {
    }

    /** What one partition holds: table name -> rows (column name in lower case -> value). */
    public record Partition(String jobId, String name, Map<String, List<Map<String, Object>>> tables) {
    }

    /** @return the documents imported, or -1 when this partition was imported before */
    public static int merge(Store store, long runId, Partition p, Clock clock) {
        synchronized (store) {
            Connection c = store.connection();
            try {
                if (Jdbc.first(c, "SELECT 1 FROM imports WHERE job_id = ? AND partition_name = ?", rs -> 1, p.jobId(), p.name()).isPresent()) return -1;
                return store.inTransaction(tx -> {
                    Map<String, Map<Long, Long>> ids = new HashMap<>();
                    for (String t : TABLES) ids.put(t, new HashMap<>());
                    int documents = 0;
                    for (Map<String, Object> r : rows(p, "sources")) {
                        String hash = (String) r.get("locator_hash");
                        Long existing = Jdbc.first(c, "SELECT id FROM sources WHERE locator_hash = ?", rs -> rs.getLong(1), hash).orElse(null);
                        if (existing == null) {
                            Long parent = map(ids, "sources", r.get("parent_id"));
                            existing = Jdbc.insert(c, "INSERT INTO sources(locator, locator_hash, parent_id, first_run_id) VALUES (?, ?, ?, ?)",
                                    r.get("locator"), hash, parent, runId);
                        }
                        ids.get("sources").put(id(r), existing);
                    }
                    for (Map<String, Object> r : rows(p, "documents")) {
                        long source = map(ids, "sources", r.get("source_id"));
                        Long existing = Jdbc.first(c, "SELECT id FROM documents WHERE source_id = ? AND sha256 = ?", rs -> rs.getLong(1),
                                source, r.get("sha256")).orElse(null);
                        if (existing == null) {
                            existing = Jdbc.insert(c, """
                                    INSERT INTO documents(source_id, sha256, size_bytes, modified_at, media_type, language, first_run_id)
                                    VALUES (?, ?, ?, ?, ?, ?, ?)""", source, r.get("sha256"), r.get("size_bytes"), time(r.get("modified_at")),
                                    r.get("media_type"), r.get("language"), runId);
                            documents++;
                        }
                        ids.get("documents").put(id(r), existing);
                    }
                    for (Map<String, Object> r : rows(p, "document_entries")) {
                        long container = map(ids, "documents", r.get("container_id")), entry = map(ids, "documents", r.get("entry_id"));
                        Jdbc.update(c, "MERGE INTO document_entries(container_id, entry_id) KEY (container_id, entry_id) VALUES (?, ?)", container, entry);
                    }
                    copy(c, p, "extractions", ids, runId, Map.of("document_id", "documents"));
                    copy(c, p, "chunks", ids, runId, Map.of("extraction_id", "extractions"));
                    copy(c, p, "outputs", ids, runId, Map.of("document_id", "documents"));
                    for (Map<String, Object> r : rows(p, "lineage")) {
                        String kind = (String) r.get("input_kind");
                        Jdbc.update(c, "INSERT INTO lineage(output_id, input_kind, input_id, ord) VALUES (?, ?, ?, ?)",
                                map(ids, "outputs", r.get("output_id")), kind, map(ids, "chunk".equals(kind) ? "chunks" : "outputs", r.get("input_id")),
                                r.get("ord"));
                    }
                    copy(c, p, "groundings", ids, runId, Map.of("output_id", "outputs"));
                    copy(c, p, "fields", ids, runId, Map.of("output_id", "outputs", "document_id", "documents"));
                    copy(c, p, "events", ids, runId, Map.of("source_id", "sources", "document_id", "documents"));
                    Jdbc.update(c, "INSERT INTO imports(job_id, partition_name, run_id, documents, imported_at) VALUES (?, ?, ?, ?, ?)",
                            p.jobId(), p.name(), runId, documents, clock.instant());
                    return documents;
                });
            } catch (SQLException e) {
                throw new StoreException("cannot import partition " + p.name() + ": " + e.getMessage(), e);
            }
        }
    }

    /** Inserts a table's rows with new ids (when it has an id), this run, and its references mapped. */
    private static void copy(Connection c, Partition p, String table, Map<String, Map<Long, Long>> ids, long runId,
                             Map<String, String> references) throws SQLException {
        for (Map<String, Object> r : rows(p, table)) {
            Map<String, Object> values = new LinkedHashMap<>();
            for (Map.Entry<String, Object> e : r.entrySet()) {
                String column = e.getKey();
                if (column.equals("id")) continue;
                Object v = e.getValue();
                if (column.equals("run_id")) v = runId;
                else if (references.containsKey(column)) v = map(ids, references.get(column), v);
                else if (column.endsWith("_at") || column.equals("at")) v = time(v);
                values.put(column, v);
            }
            String sql = "INSERT INTO " + table + "(" + String.join(", ", values.keySet()) + ") VALUES ("
                    + String.join(", ", java.util.Collections.nCopies(values.size(), "?")) + ")";
            Object[] args = values.values().toArray();
            if (r.containsKey("id")) ids.get(table).put(id(r), Jdbc.insert(c, sql, args));
            else Jdbc.update(c, sql, args);
        }
    }

    private static List<Map<String, Object>> rows(Partition p, String table) {
        List<Map<String, Object>> rows = new ArrayList<>(p.tables().getOrDefault(table, List.of()));
        if (!rows.isEmpty() && rows.get(0).containsKey("id")) rows.sort(java.util.Comparator.comparingLong(StoreImport::id));
        return rows;
    }

    private static long id(Map<String, Object> r) {
        return ((Number) r.get("id")).longValue();
    }

    private static Long map(Map<String, Map<Long, Long>> ids, String table, Object old) {
        if (old == null) return null;
        Long mapped = ids.get(table).get(((Number) old).longValue());
        if (mapped == null) throw new StoreException("the partition refers to " + table + " " + old + ", which it does not hold");
        return mapped;
    }

    /** Times travel as ISO-8601 text (Parquet columns written from H2). */
    private static Object time(Object v) {
        if (v == null || !(v instanceof String s)) return v;
        return OffsetDateTime.parse(s);
    }

    /** The schema version a partition must have been written at to be imported. */
    public static String schemaVersion() {
        return Store.SCHEMA_VERSION;
    }
}
