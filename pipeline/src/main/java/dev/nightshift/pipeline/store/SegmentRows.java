package dev.nightshift.pipeline.store;

import dev.nightshift.pipeline.core.Hashing;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The segments of files written back in their own format ({@code segments}): stored after each file is written,
 * read for review ({@code export --format xliff}) and for the list of what their checks flagged ({@code failures}).
 */
public final class SegmentRows {
    private final Store store;

    public SegmentRows(Store store) {
        this.store = store;
    }

    /**
     * One segment as sent and as written, inline codes as tags.
     *
     * @param issues  a JSON array of what the check found, {@code []} when nothing
     * @param flagged true when the check found something
     */
    public record Segment(int seq, String source, String translation, String issues, boolean flagged) {
    }

    /** A written file's segments: what a CAT tool opens. */
    public record SegmentFile(String locator, String targetFile, String sourceLanguage, String targetLanguage, List<Segment> segments) {
    }

    /**
     * Stores the segments of one file written in this run, for the newest version of its document.
     *
     * @return false when the store knows no document at {@code locator} (nothing is stored)
     */
    public boolean save(long runId, String locator, String taskKey, String sourceLanguage, String targetLanguage, String targetFile,
                        List<Segment> segments) {
        try {
            return store.inTransaction(c -> {
                Long document = Jdbc.first(c, """
                        SELECT d.id FROM documents d JOIN sources s ON s.id = d.source_id
                        WHERE s.locator_hash = ? ORDER BY d.id DESC LIMIT 1""", rs -> rs.getLong(1),
                        Hashing.sha256(locator)).orElse(null);
                if (document == null) return false;
                for (Segment s : segments) {
                    Jdbc.update(c, """
                            INSERT INTO segments(run_id, document_id, task_key, source_language, target_language, target_file, seq, source,
                                                 translation, issues, flagged) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                            runId, document, taskKey, sourceLanguage, targetLanguage, targetFile, s.seq(), s.source(), s.translation(),
                            s.issues(), s.flagged());
                }
                return true;
            });
        } catch (SQLException e) {
            throw new StoreException("cannot store the segments of " + locator + ": " + e.getMessage(), e);
        }
    }

    /** The target languages that have segments, in order. */
    public List<String> targetLanguages() {
        synchronized (store) {
            try {
                return Jdbc.list(store.connection(), "SELECT DISTINCT target_language FROM segments ORDER BY target_language", rs -> rs.getString(1));
            } catch (SQLException e) {
                throw new StoreException("cannot read segments: " + e.getMessage(), e);
            }
        }
    }

    /** The source languages of the files written into {@code targetLanguage} (null for an unknown one). */
    public List<String> sourceLanguages(String targetLanguage) {
        synchronized (store) {
            try {
                return Jdbc.list(store.connection(), "SELECT DISTINCT source_language FROM segments WHERE target_language = ? ORDER BY 1",
                        rs -> rs.getString(1), targetLanguage);
            } catch (SQLException e) {
                throw new StoreException("cannot read segments: " + e.getMessage(), e);
            }
        }
    }

    /**
     * Streams, in locator order, every file written into {@code targetLanguage} with its segments as the newest run
     * that wrote it left them (one file in memory at a time).
     */
    public void files(String targetLanguage, Consumer<SegmentFile> sink) {
        synchronized (store) {
            String sql = """
                    SELECT s.locator, g.target_file, g.source_language, g.target_language, g.seq, g.source, g.translation, g.issues, g.flagged
                    FROM segments g JOIN documents d ON d.id = g.document_id JOIN sources s ON s.id = d.source_id
                    WHERE g.target_language = ?
                      AND g.run_id = (SELECT MAX(g2.run_id) FROM segments g2 WHERE g2.document_id = g.document_id
                                      AND g2.task_key = g.task_key)
                    ORDER BY s.locator, g.target_file, g.seq""";
            try (PreparedStatement ps = store.connection().prepareStatement(sql)) {
                ps.setString(1, targetLanguage);
                ps.setFetchSize(200);
                try (ResultSet rs = ps.executeQuery()) {
                    SegmentFile current = null;
                    while (rs.next()) {
                        String locator = rs.getString(1), file = rs.getString(2);
                        if (current == null || !current.locator().equals(locator) || !current.targetFile().equals(file)) {
                            if (current != null) sink.accept(current);
                            current = new SegmentFile(locator, file, rs.getString(3), rs.getString(4), new ArrayList<>());
                        }
                        current.segments().add(new Segment(rs.getInt(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getBoolean(9)));
                    }
                    if (current != null) sink.accept(current);
                }
            } catch (SQLException e) {
                throw new StoreException("cannot read segments: " + e.getMessage(), e);
            }
        }
    }

    /** How many segments the newest writing of every file has, and how many of them the check flagged: {all, flagged}. */
    public long[] counts() {
        synchronized (store) {
            try {
                return Jdbc.first(store.connection(), """
                        SELECT COUNT(*), COALESCE(SUM(CASE WHEN g.flagged THEN 1 ELSE 0 END), 0) FROM segments g
                        WHERE g.run_id = (SELECT MAX(g2.run_id) FROM segments g2 WHERE g2.document_id = g.document_id
                                          AND g2.task_key = g.task_key)""",
                        rs -> new long[] {rs.getLong(1), rs.getLong(2)}).orElse(new long[2]);
            } catch (SQLException e) {
                throw new StoreException("cannot count segments: " + e.getMessage(), e);
            }
        }
    }

    /** The flagged segments of every file's newest writing, in locator order. */
    public List<SegmentFile> flagged() {
        List<SegmentFile> out = new ArrayList<>();
        for (String language : targetLanguages()) {
            files(language, f -> {
                List<Segment> flagged = f.segments().stream().filter(Segment::flagged).toList();
                if (!flagged.isEmpty()) out.add(new SegmentFile(f.locator(), f.targetFile(), f.sourceLanguage(), f.targetLanguage(), flagged));
            });
        }
        return out;
    }
}
