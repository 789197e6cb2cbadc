package dev.nightshift.pipeline.store;

import dev.nightshift.pipeline.core.DocumentResult;
import dev.nightshift.pipeline.core.Chunk;
import dev.nightshift.pipeline.core.ExtractionStatus;
import dev.nightshift.pipeline.core.Hashing;
import dev.nightshift.pipeline.core.Task;
import dev.nightshift.pipeline.core.InputHash;
import dev.nightshift.pipeline.core.InputRef;
import dev.nightshift.pipeline.core.FieldValue;
import dev.nightshift.pipeline.core.OutputDraft;
import dev.nightshift.pipeline.core.TaskKind;
import dev.nightshift.pipeline.core.OutputOrigin;
import dev.nightshift.pipeline.core.Evidence;
import dev.nightshift.pipeline.core.Grounding;
import dev.nightshift.pipeline.core.SentenceCheck;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The rows one document's results become (source, document, extraction, chunks, outputs with their lineage and
 * grounding, events), written on {@link Store}'s connection inside its transaction.
 */
final class ResultRows {
    private final Connection connection;
    private final Clock clock;

    ResultRows(Connection connection, Clock clock) {
        this.connection = connection;
        this.clock = clock;
    }

    long ensureSource(long runId, String locator, Long parentId) throws SQLException {
        String hash = Hashing.sha256(locator);
        Optional<Long> id = Jdbc.first(connection, "SELECT id FROM sources WHERE locator_hash = ?", rs -> rs.getLong(1), hash);
        if (id.isPresent()) return id.get();
        return Jdbc.insert(connection, "INSERT INTO sources(locator, locator_hash, parent_id, first_run_id) VALUES (?, ?, ?, ?)",
                truncate(locator, 4096), hash, parentId, runId);
    }

    long ensureDocument(long runId, long sourceId, DocumentResult r) throws SQLException {
        Optional<Long> id = Jdbc.first(connection, "SELECT id FROM documents WHERE source_id = ? AND sha256 = ?",
                rs -> rs.getLong(1), sourceId, r.document().sha256());
        if (id.isPresent()) {
            Jdbc.update(connection, "UPDATE documents SET modified_at = ?, media_type = COALESCE(?, media_type), "
                            + "language = COALESCE(?, language) WHERE id = ?",
                    r.document().source().modifiedAt(), r.extraction().mediaType(), r.extraction().language(), id.get());
            return id.get();
        }
        return Jdbc.insert(connection, """
                INSERT INTO documents(source_id, sha256, size_bytes, modified_at, media_type, language, first_run_id)
                VALUES (?, ?, ?, ?, ?, ?, ?)""",
                sourceId, r.document().sha256(), r.document().sizeBytes(), r.document().source().modifiedAt(),
                r.extraction().mediaType(), r.extraction().language(), runId);
    }

    long insertExtraction(long runId, long documentId, DocumentResult r) throws SQLException {
        var e = r.extraction();
        return Jdbc.insert(connection, """
                INSERT INTO extractions(document_id, run_id, status, extractor, parser, tika_version, media_type,
                                        char_count, duration_ms, error, content, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                documentId, runId, e.status().name(), e.extractor(), truncate(e.parser(), 1024), e.tikaVersion(),
                truncate(e.mediaType(), 255), (long) e.text().length(), e.durationMs(), truncate(e.error(), 4096),
                keepsText(e.status()) ? e.text() : null, clock.instant());
    }

    /** Usable text, and text judged NOT_TEXT: a verdict can be wrong, and {@code show --full} lets a person see. */
    static boolean keepsText(ExtractionStatus status) {
        return status.usable() || status == ExtractionStatus.NOT_TEXT;
    }

    List<Long> insertChunks(long extractionId, DocumentResult r) throws SQLException {
        List<Long> ids = new ArrayList<>();
        for (Chunk c : r.chunks()) {
            ids.add(Jdbc.insert(connection, """
                    INSERT INTO chunks(extraction_id, seq, char_start, char_end, token_count, tokenizer)
                    VALUES (?, ?, ?, ?, ?, ?)""",
                    extractionId, c.seq(), c.charStart(), c.charEnd(), c.tokenCount(), r.tokenizer()));
        }
        return ids;
    }

    List<Long> insertOutputs(long runId, long documentId, List<Long> chunkIds, DocumentResult r) throws SQLException {
        List<Long> ids = new ArrayList<>();
        var task = r.task();
        for (int n = 0; n < r.outputs().size(); n++) {
            OutputDraft o = r.outputs().get(n);
            long id = insertOutput(connection, runId, task, new OutputRow(documentId, o.level(), o.isFinal(), o.text(),
                    inputHash(o, r, connection), o.origin(), o.promptTokens(), o.generatedTokens(), o.durationMs(), null));
            int ord = 0;
            for (InputRef in : o.inputs()) {
                long inputId = switch (in.kind()) {
                    case CHUNK -> chunkIds.get(in.index());
                    case OUTPUT -> ids.get(in.index());
                    case STORED -> in.index();
                };
                Jdbc.update(connection, "INSERT INTO lineage(output_id, input_kind, input_id, ord) VALUES (?, ?, ?, ?)",
                        id, in.kind() == InputRef.Kind.CHUNK ? "chunk" : "output", inputId, ord++);
            }
            Grounding g = r.groundings().get(n);
            if (g != null) insertGrounding(id, g);
            ids.add(id);
        }
        insertFields(runId, documentId, r, ids);
        return ids;
    }

    /**
     * An extraction's values, on the document's final output; a copy of an earlier document's output (the same
     * bytes) gets a copy of that output's values.
     */
    private void insertFields(long runId, long documentId, DocumentResult r, List<Long> outputIds) throws SQLException {
        int last = r.outputs().size() - 1;
        if (last < 0 || r.task().kind() != TaskKind.EXTRACT) return;
        long finalId = outputIds.get(last);
        OutputDraft o = r.outputs().get(last);
        if (o.origin() == OutputOrigin.REUSED) {
            Jdbc.update(connection, """
                    INSERT INTO fields(output_id, document_id, run_id, seq, field, path, value_json, json_type, evidence,
                                       char_start, char_end, chunk_seq)
                    SELECT ?, ?, ?, seq, field, path, value_json, json_type, evidence, char_start, char_end, chunk_seq
                    FROM fields WHERE output_id = ?""", finalId, documentId, runId, (long) o.inputs().get(0).index());
            return;
        }
        int seq = 0;
        for (FieldValue f : r.fields()) {
            boolean found = f.evidence() == FieldValue.Evidence.FOUND;
            Jdbc.update(connection, """
                    INSERT INTO fields(output_id, document_id, run_id, seq, field, path, value_json, json_type, evidence,
                                       char_start, char_end, chunk_seq)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", finalId, documentId, runId, seq++, truncate(f.field(), 512),
                    truncate(f.path(), 2048), f.json(), f.type(), f.evidence().dbValue(), found ? f.start() : null,
                    found ? f.end() : null, f.chunk());
        }
    }

    /** One row of {@code outputs}, whatever made it: a document's output (level, final) or an answer (a question, no document). */
    record OutputRow(Long documentId, int level, boolean isFinal, String text, String inputHash, OutputOrigin origin,
                             int promptTokens, int generatedTokens, long durationMs, String question) {
    }

    /** The one place the output columns are written. */
    long insertOutput(Connection c, long runId, Task task, OutputRow o) throws SQLException {
        return Jdbc.insert(c, """
                INSERT INTO outputs(run_id, document_id, task, task_key, method, model, model_digest, prompt_name,
                                    prompt_version, prompt_hash, parameters, level, is_final, content, input_hash,
                                    finish_reason, prompt_tokens, generated_tokens, duration_ms, created_at, question)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                runId, o.documentId(), task.name(), task.key(), task.method(), task.model(), task.modelDigest(),
                task.promptName(), task.promptVersion(), task.promptHash(), task.parametersText(), o.level(),
                o.isFinal(), o.text(), o.inputHash(), o.origin().dbValue(), o.promptTokens(),
                o.generatedTokens(), o.durationMs(), clock.instant(), o.question());
    }

    void insertGrounding(long outputId, Grounding g) throws SQLException {
        int seq = 0;
        for (SentenceCheck sc : g.sentences()) {
            List<long[]> spans = new ArrayList<>();
            for (Evidence e : sc.evidence()) spans.add(e.chunkId() == 0 ? new long[] {e.start(), e.end()} : new long[] {e.start(), e.end(), e.chunkId()});
            Jdbc.update(connection, """
                    INSERT INTO groundings(output_id, seq, checker, sentence_start, sentence_end, supported, score, evidence, flags)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                    outputId, seq++, g.checker(), sc.start(), sc.end(), sc.supported(), sc.score(),
                    GroundingJson.spans(spans), GroundingJson.flags(sc.flags()));
        }
    }

    /** Identity of an output's input text, so identical input under the same task key can be found again. */
    static String inputHash(OutputDraft o, DocumentResult r, Connection c) throws SQLException {
        // A copy has the input of its original: the result cache finds the same text either way.
        if (o.inputs().get(0).kind() == InputRef.Kind.STORED) {
            return Jdbc.first(c, "SELECT input_hash FROM outputs WHERE id = ?", rs -> rs.getString(1), (long) o.inputs().get(0).index())
                    .orElseThrow(() -> new SQLException("no output " + o.inputs().get(0).index() + " to copy"));
        }
        boolean chunks = o.inputs().get(0).kind() == InputRef.Kind.CHUNK;
        List<String> texts = o.inputs().stream()
                .map(in -> in.kind() == InputRef.Kind.CHUNK ? r.chunks().get(in.index()).text() : r.outputs().get(in.index()).text())
                .toList();
        return chunks ? InputHash.ofChunks(texts) : InputHash.ofOutputs(texts);
    }

    void insertEvent(long runId, Long sourceId, Long documentId, EventKind kind, String detail) throws SQLException {
        Jdbc.update(connection, "INSERT INTO events(run_id, source_id, document_id, kind, detail, at) VALUES (?, ?, ?, ?, ?, ?)",
                runId, sourceId, documentId, kind.dbValue(), truncate(detail, 4096), clock.instant());
    }

    static String truncate(String s, int max) {
        if (s == null || s.length() <= max) return s;
        return s.substring(0, max - 1) + "…";
    }
}
