package dev.nightshift.pipeline.store;


import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/** What the search index is built from: everything stored since a mark, chunk by chunk and output by output. */
public final class IndexFeed {
    private final Store store;

    public IndexFeed(Store store) {
        this.store = store;
    }

    /**
     * How far the database has come: the highest document, extraction and output ids. The search index
     * keeps the mark it was built to and re-indexes every document that gained a row since (a new
     * version, a new extraction, a new task's output such as a translation or a picture's description).
     * Answers (outputs of no document) are not indexed and do not move it.
     */
    public record Mark(long document, long extraction, long output) {
        public static final Mark ZERO = new Mark(0, 0, 0);
    }

    public Mark mark() {
        synchronized (store) {
            try {
                return Jdbc.first(store.connection(), """
                        SELECT (SELECT COALESCE(MAX(id), 0) FROM documents), (SELECT COALESCE(MAX(id), 0) FROM extractions),
                               (SELECT COALESCE(MAX(id), 0) FROM outputs WHERE document_id IS NOT NULL)""",
                        rs -> new Mark(rs.getLong(1), rs.getLong(2), rs.getLong(3))).orElse(Mark.ZERO);
            } catch (SQLException e) {
                throw new StoreException("cannot read the database's mark: " + e.getMessage(), e);
            }
        }
    }

    /**
     * Streams, in id order, every latest document version of a source that changed after {@code since}
     * (new itself, or with a new extraction or output): its latest extraction's chunks (their text cut
     * from the extraction) and its final outputs. The search index is built only from this, so it can
     * always be rebuilt or caught up from the database.
     */
    public void searchRecords(Mark since, Consumer<SearchRecord> sink) {
        synchronized (store) {
            Connection c = store.connection();
            try {
                List<DocumentInfo> documents = Jdbc.list(c, "SELECT " + LineageQueries.DOCUMENT_COLUMNS + """
                         FROM documents d JOIN sources s ON s.id = d.source_id
                        WHERE (d.id > ? OR EXISTS (SELECT 1 FROM extractions e WHERE e.document_id = d.id AND e.id > ?)
                                       OR EXISTS (SELECT 1 FROM outputs o WHERE o.document_id = d.id AND o.id > ?))
                          AND d.id = (SELECT MAX(d2.id) FROM documents d2 WHERE d2.source_id = d.source_id)
                        ORDER BY d.id""", LineageQueries::documentInfo, since.document(), since.extraction(), since.output());
                for (DocumentInfo d : documents) {
                    record Latest(long id, String content) {
                    }
                    Optional<Latest> extraction = Jdbc.first(c, "SELECT id, content FROM extractions WHERE document_id = ? ORDER BY id DESC",
                            rs -> new Latest(rs.getLong(1), rs.getString(2)), d.id());
                    List<SearchRecord.Passage> chunks = new ArrayList<>();
                    if (extraction.isPresent() && extraction.get().content() != null) {
                        String text = extraction.get().content();
                        for (ChunkSpan span : Jdbc.list(c, "SELECT extraction_id, seq, char_start, char_end, token_count, tokenizer FROM chunks "
                                + "WHERE extraction_id = ? ORDER BY seq", rs -> new ChunkSpan(rs.getLong(1), rs.getInt(2), rs.getInt(3),
                                rs.getInt(4), rs.getInt(5), rs.getString(6)), extraction.get().id())) {
                            if (span.charEnd() > text.length() || span.charEnd() <= span.charStart()) continue;
                            chunks.add(new SearchRecord.Passage(span.seq(), span.seq(), span.charStart(), span.charEnd(), null,
                                    text.substring(span.charStart(), span.charEnd())));
                        }
                    }
                    List<SearchRecord.Passage> outputs = Jdbc.list(c,
                            "SELECT id, task, content FROM outputs WHERE document_id = ? AND is_final ORDER BY id",
                            rs -> new SearchRecord.Passage(rs.getLong(1), 0, 0, 0, rs.getString(2), rs.getString(3)), d.id());
                    sink.accept(new SearchRecord(d, extraction.map(Latest::id).orElse(0L), chunks, outputs));
                }
            } catch (SQLException e) {
                throw new StoreException("cannot read documents to index: " + e.getMessage(), e);
            }
        }
    }
}
