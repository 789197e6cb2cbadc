package dev.nightshift.connectors.export;

import dev.nightshift.pipeline.core.Evidence;
import dev.nightshift.pipeline.core.Grounding;
import dev.nightshift.pipeline.core.SentenceCheck;
import java.util.ArrayList;
import java.util.List;

import dev.nightshift.pipeline.store.ExportRecord;
import dev.nightshift.pipeline.store.Provenance;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** The provenance fields of a record, by name, in the order every format writes them. */
public final class ExportFields {
    private ExportFields() {
    }

    /** The fields' names, in order: what {@link #of} gives every record. */
    static final List<String> NAMES = List.of("output_id", "run_id", "source_path", "document_sha256", "document_size",
            "media_type", "language", "extraction_id", "extraction_parser", "tika_version", "chunk_span", "chunk_count", "task",
            "method", "model", "model_digest", "prompt_name", "prompt_version", "prompt_hash", "parameters", "level", "final",
            "finish_reason", "prompt_tokens", "generated_tokens", "duration_ms", "created_at", "grounding_checker",
            "sentences_checked", "unsupported_sentences", "text");

    static Map<String, Object> of(ExportRecord r) {
        Provenance p = r.provenance();
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("output_id", p.outputId());
        f.put("run_id", p.runId());
        f.put("source_path", r.document().locator());
        f.put("document_sha256", r.document().sha256());
        f.put("document_size", r.document().sizeBytes());
        f.put("media_type", r.document().mediaType());
        f.put("language", r.document().language());
        f.put("extraction_id", r.extractionId());
        f.put("extraction_parser", r.extractionParser());
        f.put("tika_version", r.tikaVersion());
        f.put("chunk_span", chunkSpan(r));
        f.put("chunk_count", r.chunks().size());
        f.put("task", p.task());
        f.put("method", p.method());
        f.put("model", p.model());
        f.put("model_digest", p.modelDigest());
        f.put("prompt_name", p.promptName());
        f.put("prompt_version", p.promptVersion());
        f.put("prompt_hash", p.promptHash());
        f.put("parameters", p.parameters());
        f.put("level", p.level());
        f.put("final", p.isFinal());
        f.put("finish_reason", p.finishReason());
        f.put("prompt_tokens", p.promptTokens());
        f.put("generated_tokens", p.generatedTokens());
        f.put("duration_ms", p.durationMs());
        f.put("created_at", p.createdAt() == null ? null : p.createdAt().toString());
        Grounding g = r.grounding();
        f.put("grounding_checker", g == null ? null : g.checker());
        f.put("sentences_checked", g == null ? null : g.sentences().size());
        f.put("unsupported_sentences", g == null ? null : g.unsupported());
        f.put("text", r.text());
        assert List.copyOf(f.keySet()).equals(NAMES) : "NAMES lists the fields in their order"; // tests run with -ea
        return f;
    }

    /**
     * A grounding as {@code nightshift ground --format json} prints it and {@code export --format jsonl} stores
     * it: {@code [{"sentence", "supported", "score", "evidence": [{"start", "end", "text"}], "flags": [...]}]}.
     */
    public static List<Map<String, Object>> grounding(Grounding g) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (SentenceCheck s : g.sentences()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("sentence", s.sentence());
            row.put("supported", s.supported());
            row.put("score", s.score());
            List<Map<String, Object>> evidence = new ArrayList<>();
            for (Evidence e : s.evidence()) {
                Map<String, Object> span = new LinkedHashMap<>();
                span.put("start", e.start());
                span.put("end", e.end());
                span.put("text", e.text());
                if (e.chunkId() != 0) span.put("chunk_id", e.chunkId());
                evidence.add(span);
            }
            row.put("evidence", evidence);
            row.put("flags", s.flags());
            rows.add(row);
        }
        return rows;
    }

    /** {@code [start,end)} of each chunk in the extraction text, e.g. {@code 0:[0,1840) 1:[1842,3311)}. */
    static String chunkSpan(ExportRecord r) {
        return r.chunks().stream()
                .map(c -> c.seq() + ":[" + c.charStart() + "," + c.charEnd() + ")")
                .collect(Collectors.joining(" "));
    }
}
