package dev.nightshift.pipeline.store;

import dev.nightshift.pipeline.core.Passage;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** Stored text by span: the passages {@code ask} gives the model and the spans the MCP server's get_text returns. */
public final class TextQueries {
    private final Store store;

    public TextQueries(Store store) {
        this.store = store;
    }

    /**
     * A stored chunk of a document's extraction by its place (what the search index knows of it), with its
     * text and path: a passage to answer from. Empty when the database no longer holds it.
     */
    public Optional<Passage> passage(long documentId, int seq, int start, int end, double score) {
        synchronized (store) {
            try {
                return Jdbc.first(store.connection(), """
                        SELECT ch.id, ch.extraction_id, s.locator, SUBSTRING(e.content, ?, ?)
                        FROM chunks ch JOIN extractions e ON e.id = ch.extraction_id JOIN documents d ON d.id = e.document_id
                        JOIN sources s ON s.id = d.source_id
                        WHERE e.document_id = ? AND ch.seq = ? AND ch.char_start = ? AND ch.char_end = ?
                        ORDER BY ch.id DESC""",
                        rs -> new Passage(rs.getLong(1), documentId, rs.getString(3), rs.getLong(2), start, end,
                                rs.getString(4) == null ? "" : rs.getString(4), score),
                        start + 1, end - start, documentId, seq, start, end);
            } catch (SQLException e) {
                throw new StoreException("cannot read a chunk: " + e.getMessage(), e);
            }
        }
    }

    /** A span of a stored extraction's text, where it came from, and how long the whole text is. */
    public record TextSpan(long documentId, long extractionId, String path, int start, int end, long length, String text) {
    }

    /**
     * The text {@code [start, end)} of a document's latest extraction with text (or of one extraction, by id,
     * when {@code extractionId} > 0), clamped to the text's length; empty when the database holds no such
     * document or extraction. Only what is stored is read: no file is opened.
     */
    public Optional<TextSpan> text(String document, long extractionId, int start, int end) {
        synchronized (store) {
            Connection c = store.connection();
            try {
                Long id = null;
                if (extractionId > 0) {
                    id = Jdbc.first(c, "SELECT id FROM extractions WHERE id = ?", rs -> rs.getLong(1), extractionId).orElse(null);
                } else {
                    List<Long> documents = LineageQueries.findDocuments(c, document);
                    if (!documents.isEmpty()) {
                        id = Jdbc.first(c, "SELECT MAX(id) FROM extractions WHERE document_id = ? AND content IS NOT NULL AND char_count > 0",
                                rs -> rs.getObject(1) == null ? null : rs.getLong(1), documents.get(documents.size() - 1)).orElse(null);
                    }
                }
                if (id == null) return Optional.empty();
                long eid = id;
                return Jdbc.first(c, """
                        SELECT e.document_id, s.locator, e.char_count, SUBSTRING(e.content, ?, ?)
                        FROM extractions e JOIN documents d ON d.id = e.document_id JOIN sources s ON s.id = d.source_id WHERE e.id = ?""",
                        rs -> {
                            long length = rs.getLong(3);
                            String t = rs.getString(4) == null ? "" : rs.getString(4);
                            int from = (int) Math.min(start, length);
                            return new TextSpan(rs.getLong(1), eid, rs.getString(2), from, from + t.length(), length, t);
                        }, start + 1, Math.max(0, end - start), eid);
            } catch (SQLException e) {
                throw new StoreException("cannot read text: " + e.getMessage(), e);
            }
        }
    }
}
