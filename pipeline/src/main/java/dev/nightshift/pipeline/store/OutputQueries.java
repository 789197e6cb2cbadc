package dev.nightshift.pipeline.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** The outputs as records for the readers outside: {@code export}'s records with their provenance, the final
 * outputs of a task (translated files), and the report's rows. */
public final class OutputQueries {
    private final Store store;

    public OutputQueries(Store store) {
        this.store = store;
    }

    /**
     * A document's final output under a task.
     *
     * @param language  the language detected in the document (a BCP 47 tag), or null
     * @param createdAt when the output was made
     */
    public record FinalOutput(String locator, String text, String language, java.time.Instant createdAt) {
    }

    /**
     * Streams, for every source whose latest version has one, the newest final output under a task key
     * (e.g. each document's whole translation), in locator order.
     */
    public void finalOutputs(String taskKey, Consumer<FinalOutput> sink) {
        synchronized (store) {
            Connection c = store.connection();
            String sql = """
                    SELECT s.locator, o.content, d.language, o.created_at
                    FROM outputs o JOIN documents d ON d.id = o.document_id JOIN sources s ON s.id = d.source_id
                    WHERE o.task_key = ? AND o.is_final
                      AND d.id = (SELECT MAX(d2.id) FROM documents d2 WHERE d2.source_id = d.source_id)
                      AND o.id = (SELECT MAX(o2.id) FROM outputs o2 WHERE o2.document_id = d.id AND o2.task_key = ? AND o2.is_final)
                    ORDER BY s.locator""";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, taskKey);
                ps.setString(2, taskKey);
                ps.setFetchSize(100);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) sink.accept(new FinalOutput(rs.getString(1), rs.getString(2), rs.getString(3),
                            rs.getObject(4, java.time.OffsetDateTime.class).toInstant()));
                }
            } catch (SQLException e) {
                throw new StoreException("cannot read outputs: " + e.getMessage(), e);
            }
        }
    }

    /**
     * Streams one row per source (its latest document version) in path order: what the report's
     * document table shows. Memory stays flat: rows are read with a cursor and handed on one by one.
     */
    public void reportRows(Consumer<ReportRow> sink) {
        synchronized (store) {
            Connection c = store.connection();
            String sql = """
                    SELECT d.id, s.locator, d.media_type, d.language, e.status, e.error, e.run_id,
                           (SELECT COUNT(*) FROM chunks ch WHERE ch.extraction_id = e.id) AS chunks,
                           o.id AS output_id, o.task, o.content, o.model, o.prompt_name, o.prompt_version, o.finish_reason
                    FROM documents d JOIN sources s ON s.id = d.source_id
                    LEFT JOIN extractions e ON e.id = (SELECT MAX(e2.id) FROM extractions e2 WHERE e2.document_id = d.id)
                    LEFT JOIN outputs o ON o.id = (SELECT MAX(o2.id) FROM outputs o2 WHERE o2.document_id = d.id AND o2.is_final)
                    WHERE d.id = (SELECT MAX(d2.id) FROM documents d2 WHERE d2.source_id = d.source_id)
                    ORDER BY s.locator""";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setFetchSize(500);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String finish = rs.getString("finish_reason");
                        String prompt = rs.getString("prompt_name") == null ? null : rs.getString("prompt_name") + " v" + rs.getString("prompt_version");
                        sink.accept(new ReportRow(rs.getLong(1), rs.getString("locator"), rs.getString("media_type"), rs.getString("language"),
                                rs.getString("status"), rs.getString("error"), rs.getInt("chunks"), rs.getString("task"), rs.getString("content"),
                                rs.getString("model"), prompt, finish, "length".equals(finish), rs.getLong("run_id"),
                                checkedOrigin(finish) ? LineageQueries.grounding(c, rs.getLong("output_id"), rs.getString("content"), false) : null));
                    }
                }
            } catch (SQLException e) {
                throw new StoreException("cannot read documents for the report: " + e.getMessage(), e);
            }
        }
    }

    /** Only generated outputs are checked: the report looks up no others. */
    private static boolean checkedOrigin(String finish) {
        return "stop".equals(finish) || "length".equals(finish) || "cached".equals(finish);
    }

    /** Streams every output (final ones only unless {@code allLevels}) with its provenance, oldest first. */
    public void export(boolean allLevels, Consumer<ExportRecord> sink) {
        synchronized (store) {
            Connection c = store.connection();
            String sql = "SELECT " + LineageQueries.OUTPUT_COLUMNS + ", " + LineageQueries.DOCUMENT_COLUMNS + """

                    FROM outputs o JOIN documents d ON d.id = o.document_id JOIN sources s ON s.id = d.source_id
                    """ + (allLevels ? "" : "WHERE o.is_final ") + "ORDER BY o.id";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setFetchSize(200);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) sink.accept(exportRecord(c, rs));
                }
            } catch (SQLException e) {
                throw new StoreException("cannot export: " + e.getMessage(), e);
            }
        }
    }

    private static ExportRecord exportRecord(Connection c, ResultSet rs) throws SQLException {
        Provenance provenance = LineageQueries.provenance(rs);
        List<ChunkSpan> spans = new ArrayList<>();
        for (long chunkId : LineageQueries.chunkIdsUnder(c, provenance.outputId())) spans.add(LineageQueries.chunkSpan(c, chunkId));
        long extractionId = spans.isEmpty() ? 0 : spans.get(spans.size() - 1).extractionId();
        String[] ex = Jdbc.first(c, "SELECT parser, tika_version FROM extractions WHERE id = ?",
                r -> new String[] {r.getString(1), r.getString(2)}, extractionId).orElse(new String[2]);
        return new ExportRecord(LineageQueries.documentInfo(rs), extractionId, ex[0], ex[1], spans, provenance, rs.getString("content"),
                LineageQueries.grounding(c, provenance.outputId(), rs.getString("content"), true));
    }
}
