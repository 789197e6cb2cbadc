package dev.nightshift.pipeline.store;

import dev.nightshift.pipeline.core.Evidence;
import dev.nightshift.pipeline.core.Grounding;
import dev.nightshift.pipeline.core.SentenceCheck;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** How each output came to be: a document's tree of extractions, outputs and the chunks under them
 * ({@code show}, the MCP server's get_document), with each output's grounding. The row readers here serve
 * {@link OutputQueries} too. */
public final class LineageQueries {
    private final Store store;

    public LineageQueries(Store store) {
        this.store = store;
    }

    /**
     * The lineage of everything stored for a source (by locator, or a suffix of it such as a file
     * name) or a document (by id or SHA-256 prefix): source, document versions, extractions, output trees.
     */
    public List<Lineage.Document> lineage(String pathOrId) {
        synchronized (store) {
            Connection c = store.connection();
            try {
                List<Long> documentIds = findDocuments(c, pathOrId);
                List<Lineage.Document> trees = new ArrayList<>();
                for (long id : documentIds) trees.add(documentTree(c, id));
                return trees;
            } catch (SQLException e) {
                throw new StoreException("cannot read the lineage: " + e.getMessage(), e);
            }
        }
    }

    static List<Long> findDocuments(Connection c, String key) throws SQLException {
        if (key.matches("\\d{1,18}")) {
            List<Long> byId = Jdbc.list(c, "SELECT id FROM documents WHERE id = ?", rs -> rs.getLong(1), Long.parseLong(key));
            if (!byId.isEmpty()) return byId;
        }
        if (key.matches("[0-9a-fA-F]{8,64}")) {
            List<Long> bySha = Jdbc.list(c, "SELECT id FROM documents WHERE sha256 LIKE ? ORDER BY id",
                    rs -> rs.getLong(1), key.toLowerCase() + "%");
            if (!bySha.isEmpty()) return bySha;
        }
        List<Long> exact = Jdbc.list(c, """
                SELECT d.id FROM documents d JOIN sources s ON s.id = d.source_id WHERE s.locator = ? ORDER BY d.id""",
                rs -> rs.getLong(1), key);
        if (!exact.isEmpty()) return exact;
        // A relative path or a file name: match the end of the locator at a path boundary, as typed and
        // with Windows separators read as /. A name whose bytes are not UTF-8 is stored with them written
        // \xE9; typed through a shell, each such byte arrives as U+FFFD, which matches any one of them.
        List<Long> found = new ArrayList<>();
        for (String typed : new java.util.LinkedHashSet<>(List.of(key, key.replace("\\", "/")))) {
            String suffix = typed;
            while (suffix.startsWith("./")) suffix = suffix.substring(2);
            String pattern = escapeLike(suffix).replace("\uFFFD", "\\\\x__");
            found = Jdbc.list(c, """
                    SELECT d.id FROM documents d JOIN sources s ON s.id = d.source_id
                    WHERE s.locator LIKE ? ESCAPE '\\' OR s.locator LIKE ? ESCAPE '\\' ORDER BY d.id""",
                    rs -> rs.getLong(1), "%/" + pattern, "%!/" + pattern);
            if (!found.isEmpty()) return found;
        }
        return found;
    }

    private static String escapeLike(String s) {
        return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    /** The columns {@link #documentInfo} reads, for a query joining documents d and sources s. */
    static final String DOCUMENT_COLUMNS =
            "d.id AS document_id, s.locator, d.sha256, d.size_bytes, d.media_type, d.language, d.modified_at";

    static DocumentInfo documentInfo(ResultSet rs) throws SQLException {
        return new DocumentInfo(rs.getLong("document_id"), rs.getString("locator"), rs.getString("sha256"), rs.getLong("size_bytes"),
                rs.getString("media_type"), rs.getString("language"), Jdbc.instant(rs, "modified_at"));
    }

    /** The columns {@link #provenance} reads, for a query on outputs o. */
    static final String OUTPUT_COLUMNS = """
            o.id AS output_id, o.run_id, o.task, o.method, o.model, o.model_digest, o.prompt_name, o.prompt_version,
            o.prompt_hash, o.parameters, o.level, o.is_final, o.finish_reason, o.prompt_tokens, o.generated_tokens,
            o.duration_ms, o.created_at, o.content""";

    static Provenance provenance(ResultSet rs) throws SQLException {
        return new Provenance(rs.getLong("output_id"), rs.getLong("run_id"), rs.getString("task"), rs.getString("method"),
                rs.getString("model"), rs.getString("model_digest"), rs.getString("prompt_name"), rs.getString("prompt_version"),
                rs.getString("prompt_hash"), rs.getString("parameters"), rs.getInt("level"), rs.getBoolean("is_final"),
                rs.getString("finish_reason"), rs.getInt("prompt_tokens"), rs.getInt("generated_tokens"),
                rs.getLong("duration_ms"), Jdbc.instant(rs, "created_at"));
    }

    private static Lineage.Document documentTree(Connection c, long documentId) throws SQLException {
        DocumentInfo info = Jdbc.first(c, "SELECT " + DOCUMENT_COLUMNS
                + " FROM documents d JOIN sources s ON s.id = d.source_id WHERE d.id = ?", LineageQueries::documentInfo, documentId).orElseThrow();
        List<Lineage.Extraction> extractions = new ArrayList<>();
        for (long extractionId : Jdbc.list(c, "SELECT id FROM extractions WHERE document_id = ? ORDER BY id",
                rs -> rs.getLong(1), documentId)) {
            extractions.add(extractionTree(c, documentId, extractionId));
        }
        // An archive or a mail shows the documents found inside it (the latest version of each entry).
        List<Lineage.Document> entries = new ArrayList<>();
        for (long entry : Jdbc.list(c, """
                SELECT MAX(d.id) FROM documents d JOIN sources s ON s.id = d.source_id
                WHERE s.parent_id = (SELECT source_id FROM documents WHERE id = ?) GROUP BY s.id ORDER BY MIN(s.id)""",
                rs -> rs.getLong(1), documentId)) {
            entries.add(documentTree(c, entry));
        }
        return new Lineage.Document(info, languageNote(c, documentId, info.language()), extractions, entries);
    }

    /** Why a document has no language: too little text to tell, or no clear answer; null when it has one. */
    private static String languageNote(Connection c, long documentId, String code) throws SQLException {
        if (code != null && !code.isBlank()) return null;
        Optional<String> text = Jdbc.first(c, "SELECT content FROM extractions WHERE document_id = ? AND content IS NOT NULL ORDER BY id DESC",
                rs -> rs.getString(1), documentId);
        if (text.isEmpty()) return null;
        return dev.nightshift.pipeline.text.LanguageSample.of(text.get()).tooShort() ? "too little text to tell" : "no clear answer";
    }

    private static Lineage.Extraction extractionTree(Connection c, long documentId, long extractionId) throws SQLException {
        // A copy of another document's output (finish_reason 'reused') reads that document's chunks: it
        // belongs to the extraction stored with it, in the same run.
        List<long[]> finals = Jdbc.list(c, """
                SELECT DISTINCT o.id, CASE WHEN o.finish_reason = 'reused' THEN o.run_id ELSE -1 END FROM outputs o
                JOIN lineage l ON l.output_id = o.id WHERE o.document_id = ? AND o.is_final ORDER BY o.id""",
                rs -> new long[] {rs.getLong(1), rs.getLong(2)}, documentId);
        long extractionRun = Jdbc.first(c, "SELECT run_id FROM extractions WHERE id = ?", rs -> rs.getLong(1), extractionId).orElse(-2L);
        List<Lineage.Output> outputs = new ArrayList<>();
        for (long[] f : finals) {
            long outputId = f[0];
            boolean copyOfThisRun = f[1] == extractionRun;
            if (copyOfThisRun || (f[1] < 0 && chunkIdsUnder(c, outputId).stream().anyMatch(chunk -> extractionOf(c, chunk) == extractionId))) {
                outputs.add(outputTree(c, outputId));
            }
        }
        return Jdbc.first(c, """
                SELECT status, parser, tika_version, char_count, duration_ms, error, run_id,
                       CASE WHEN status = 'NOT_TEXT' THEN content END AS kept FROM extractions WHERE id = ?""",
                rs -> new Lineage.Extraction(extractionId, rs.getLong("run_id"), rs.getString("status"), rs.getString("parser"),
                        rs.getString("tika_version"), rs.getLong("char_count"), rs.getLong("duration_ms"), rs.getString("error"),
                        rs.getString("kept"), outputs),
                extractionId).orElseThrow();
    }

    private static long extractionOf(Connection c, long chunkId) {
        try {
            return Jdbc.first(c, "SELECT extraction_id FROM chunks WHERE id = ?", rs -> rs.getLong(1), chunkId).orElse(-1L);
        } catch (SQLException e) {
            throw new StoreException("cannot read chunk " + chunkId + ": " + e.getMessage(), e);
        }
    }

    private static Lineage.Output outputTree(Connection c, long outputId) throws SQLException {
        record Row(Provenance provenance, String text) {
        }
        Row o = Jdbc.first(c, "SELECT " + OUTPUT_COLUMNS + " FROM outputs o WHERE o.id = ?",
                rs -> new Row(provenance(rs), rs.getString("content")), outputId).orElseThrow();
        List<Lineage> inputs = new ArrayList<>();
        for (Input in : inputs(c, outputId)) {
            inputs.add(in.chunk() ? new Lineage.Chunk(chunkSpan(c, in.id())) : outputTree(c, in.id()));
        }
        return new Lineage.Output(o.provenance(), o.text(), inputs, grounding(c, outputId, o.text(), true));
    }

    /**
     * How well an output's source supports it, sentence by sentence, or null when it was not checked. With
     * {@code evidenceText}, each evidence span's text is read from the extraction the output's chunks are in.
     */
    static Grounding grounding(Connection c, long outputId, String outputText, boolean evidenceText) throws SQLException {
        record Row(String checker, int start, int end, boolean supported, double score, String evidence, String flags) {
        }
        List<Row> rows = Jdbc.list(c, """
                SELECT checker, sentence_start, sentence_end, supported, score, evidence, flags
                FROM groundings WHERE output_id = ? ORDER BY seq""",
                rs -> new Row(rs.getString(1), rs.getInt(2), rs.getInt(3), rs.getBoolean(4), rs.getDouble(5), rs.getString(6),
                        rs.getString(7)), outputId);
        if (rows.isEmpty()) return null;
        long extractionId = -1;
        if (evidenceText) {
            List<Long> chunks = chunkIdsUnder(c, outputId);
            if (!chunks.isEmpty()) extractionId = extractionOf(c, chunks.get(0));
        }
        List<SentenceCheck> sentences = new ArrayList<>();
        for (Row r : rows) {
            List<Evidence> evidence = new ArrayList<>();
            for (long[] span : GroundingJson.readSpans(r.evidence())) {
                long chunk = span.length > 2 ? span[2] : 0; // an answer's evidence names its chunk
                long in = chunk > 0 && evidenceText ? extractionOf(c, chunk) : extractionId;
                String text = in < 0 ? "" : Jdbc.first(c, "SELECT SUBSTRING(content, ?, ?) FROM extractions WHERE id = ?",
                        rs -> rs.getString(1), span[0] + 1, span[1] - span[0], in).orElse("");
                evidence.add(new Evidence((int) span[0], (int) span[1], text == null ? "" : text, chunk));
            }
            String sentence = r.end() <= outputText.length() ? outputText.substring(r.start(), r.end()) : "";
            sentences.add(new SentenceCheck(r.start(), r.end(), sentence, r.supported(), r.score(), evidence,
                    GroundingJson.readFlags(r.flags())));
        }
        return new Grounding(rows.get(0).checker(), sentences);
    }

    static ChunkSpan chunkSpan(Connection c, long chunkId) throws SQLException {
        return Jdbc.first(c, "SELECT extraction_id, seq, char_start, char_end, token_count, tokenizer FROM chunks WHERE id = ?",
                rs -> new ChunkSpan(rs.getLong(1), rs.getInt(2), rs.getInt(3), rs.getInt(4), rs.getInt(5), rs.getString(6)),
                chunkId).orElseThrow();
    }

    /** One row of an output's lineage: a chunk or another output, by id. */
    private record Input(boolean chunk, long id) {
    }

    private static List<Input> inputs(Connection c, long outputId) throws SQLException {
        return Jdbc.list(c, "SELECT input_kind, input_id FROM lineage WHERE output_id = ? ORDER BY ord",
                rs -> new Input("chunk".equals(rs.getString(1)), rs.getLong(2)), outputId);
    }

    /** All chunk ids an output reads, directly or through the outputs below it. */
    static List<Long> chunkIdsUnder(Connection c, long outputId) {
        List<Long> result = new ArrayList<>();
        try {
            for (Input in : inputs(c, outputId)) {
                if (in.chunk()) result.add(in.id()); else result.addAll(chunkIdsUnder(c, in.id()));
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read lineage of output " + outputId + ": " + e.getMessage(), e);
        }
        return result;
    }
}
