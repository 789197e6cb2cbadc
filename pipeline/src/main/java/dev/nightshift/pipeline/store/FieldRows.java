package dev.nightshift.pipeline.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The values {@code nightshift extract} read ({@code fields}, written with each document's outputs): read back
 * per document for {@code show}, {@code export --fields} and the closing lines of a run.
 */
public final class FieldRows {
    private final Store store;

    public FieldRows(Store store) {
        this.store = store;
    }

    /**
     * One value with its evidence.
     *
     * @param evidence found, not_in_source or not_checked
     * @param start    where the extraction's text writes it, or -1
     * @param quote    the text at [start, end), or null
     */
    public record Value(String field, String path, String json, String type, String evidence, int start, int end, int chunk, String quote) {
    }

    /** A document's object under one schema (the final output of its extract task) and its values. */
    public record DocumentFields(String locator, String task, String object, List<Value> values) {
    }

    /** The extract tasks with results ({@code extract:invoice}, ...), in order. */
    public List<String> tasks() {
        synchronized (store) {
            try {
                return Jdbc.list(store.connection(), "SELECT DISTINCT task FROM outputs WHERE task LIKE 'extract:%' AND is_final ORDER BY task",
                        rs -> rs.getString(1));
            } catch (SQLException e) {
                throw new StoreException("cannot read fields: " + e.getMessage(), e);
            }
        }
    }

    /**
     * Streams, in locator order, the newest object of every document (its newest version) under {@code task},
     * or under every extract task when null; one document in memory at a time.
     *
     * @param locator only this document (a file's locator), or null for all
     */
    public void documents(String task, String locator, Consumer<DocumentFields> sink) {
        synchronized (store) {
            String sql = """
                    SELECT o.id, s.locator, o.task, o.content FROM outputs o
                    JOIN documents d ON d.id = o.document_id JOIN sources s ON s.id = d.source_id
                    WHERE o.is_final AND o.task LIKE 'extract:%' AND (? IS NULL OR o.task = ?) AND (? IS NULL OR s.locator = ?)
                      AND d.id = (SELECT MAX(d2.id) FROM documents d2 WHERE d2.source_id = d.source_id)
                      AND o.id = (SELECT MAX(o2.id) FROM outputs o2 WHERE o2.document_id = o.document_id AND o2.task = o.task AND o2.is_final)
                    ORDER BY s.locator, o.task""";
            try (PreparedStatement ps = store.connection().prepareStatement(sql)) {
                ps.setString(1, task);
                ps.setString(2, task);
                ps.setString(3, locator);
                ps.setString(4, locator);
                ps.setFetchSize(200);
                List<Object[]> heads = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) heads.add(new Object[]{rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4)});
                }
                for (Object[] h : heads) sink.accept(new DocumentFields((String) h[1], (String) h[2], (String) h[3], values((Long) h[0])));
            } catch (SQLException e) {
                throw new StoreException("cannot read fields: " + e.getMessage(), e);
            }
        }
    }

    private List<Value> values(long outputId) throws SQLException {
        return Jdbc.list(store.connection(), """
                SELECT f.field, f.path, f.value_json, f.json_type, f.evidence, f.char_start, f.char_end, f.chunk_seq,
                       CASE WHEN f.char_start IS NULL THEN NULL ELSE SUBSTRING(e.content, f.char_start + 1, f.char_end - f.char_start) END
                FROM fields f LEFT JOIN extractions e
                  ON e.id = (SELECT MAX(e2.id) FROM extractions e2 WHERE e2.document_id = f.document_id AND e2.content IS NOT NULL)
                WHERE f.output_id = ? ORDER BY f.seq""",
                rs -> new Value(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getObject(6) == null ? -1 : rs.getInt(6), rs.getObject(7) == null ? -1 : rs.getInt(7), rs.getInt(8),
                        rs.getString(9)), outputId);
    }

    /** The values a run stored and how many of them the text writes and do not: {values, found, not in source}. */
    public long[] counts(long runId) {
        synchronized (store) {
            try {
                return Jdbc.first(store.connection(), """
                        SELECT COUNT(*), COALESCE(SUM(CASE WHEN evidence = 'found' THEN 1 ELSE 0 END), 0),
                               COALESCE(SUM(CASE WHEN evidence = 'not_in_source' THEN 1 ELSE 0 END), 0)
                        FROM fields WHERE run_id = ?""", rs -> new long[]{rs.getLong(1), rs.getLong(2), rs.getLong(3)}, runId)
                        .orElse(new long[3]);
            } catch (SQLException e) {
                throw new StoreException("cannot read fields: " + e.getMessage(), e);
            }
        }
    }
}
