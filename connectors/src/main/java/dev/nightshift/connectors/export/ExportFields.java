package dev.nightshift.connectors.export;

import dev.nightshift.pipeline.store.ExportRecord;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** The provenance fields of a record, by name, in the order every format writes them. */
final class ExportFields {
    private ExportFields() {
    }

    static Map<String, Object> of(ExportRecord r) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("output_id", r.outputId());
        f.put("run_id", r.runId());
        f.put("source_path", r.sourceLocator());
        f.put("document_sha256", r.documentSha256());
        f.put("document_size", r.documentSize());
        f.put("media_type", r.mediaType());
        f.put("language", r.language());
        f.put("extraction_id", r.extractionId());
        f.put("extraction_parser", r.extractionParser());
        f.put("tika_version", r.tikaVersion());
        f.put("chunk_span", chunkSpan(r));
        f.put("chunk_count", r.chunks().size());
        f.put("task", r.task());
        f.put("method", r.method());
        f.put("model", r.model());
        f.put("model_digest", r.modelDigest());
        f.put("prompt_name", r.promptName());
        f.put("prompt_version", r.promptVersion());
        f.put("prompt_hash", r.promptHash());
        f.put("parameters", r.parameters());
        f.put("level", r.level());
        f.put("final", r.isFinal());
        f.put("finish_reason", r.finishReason());
        f.put("prompt_tokens", r.promptTokens());
        f.put("generated_tokens", r.generatedTokens());
        f.put("duration_ms", r.durationMs());
        f.put("created_at", r.createdAt() == null ? null : r.createdAt().toString());
        f.put("text", r.text());
        return f;
    }

    /** {@code [start,end)} of each chunk in the extraction text, e.g. {@code 0:[0,1840) 1:[1842,3311)}. */
    static String chunkSpan(ExportRecord r) {
        return r.chunks().stream()
                .map(c -> c.seq() + ":[" + c.charStart() + "," + c.charEnd() + ")")
                .collect(Collectors.joining(" "));
    }
}
