package dev.nightshift.jobs.read;

import dev.nightshift.connectors.export.ExportFields;
import dev.nightshift.pipeline.store.ChunkSpan;
import dev.nightshift.pipeline.store.Lineage;
import dev.nightshift.pipeline.store.Provenance;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link Lineage} tree as JSON-ready maps, for the MCP server's get_document: the document, its
 * extractions with their final outputs (text, provenance, check, and the chunks' character spans an agent
 * can pass to get_text), the pictures found in it with their descriptions, and the documents inside it.
 */
public final class LineageJson {
    /** A container of thousands of entries lists this many; the rest are counted. */
    static final int MAX_ENTRIES = 100;

    private LineageJson() {
    }

    public static Map<String, Object> document(Lineage.Document d, int depth) {
        Map<String, Object> m = new LinkedHashMap<>();
        var info = d.info();
        m.put("document_id", info.id());
        m.put("path", info.locator());
        m.put("sha256", info.sha256());
        m.put("size_bytes", info.sizeBytes());
        m.put("media_type", info.mediaType());
        m.put("language", info.language());
        m.put("modified_at", info.modifiedAt() == null ? null : info.modifiedAt().toString());
        List<Map<String, Object>> extractions = new ArrayList<>();
        for (Lineage.Extraction e : d.extractions()) extractions.add(extraction(e));
        m.put("extractions", extractions);
        // Pictures inside it (embedded in an office file or a PDF, attached to a mail) with what was found.
        List<Map<String, Object>> images = new ArrayList<>();
        List<Map<String, Object>> entries = new ArrayList<>();
        for (Lineage.Document entry : d.entries()) {
            Lineage.Extraction last = entry.extractions().isEmpty() ? null : entry.extractions().get(entry.extractions().size() - 1);
            if (last != null && "IMAGE".equals(last.status())) {
                if (images.size() >= MAX_ENTRIES) continue;
                Map<String, Object> image = new LinkedHashMap<>();
                image.put("document_id", entry.info().id());
                image.put("path", entry.info().locator());
                image.put("detail", last.error());
                image.put("description", last.outputs().isEmpty() ? null : last.outputs().get(last.outputs().size() - 1).text());
                images.add(image);
            } else if (entries.size() < MAX_ENTRIES) {
                entries.add(depth > 0 ? document(entry, depth - 1) : Map.of("document_id", entry.info().id(), "path", entry.info().locator()));
            }
        }
        m.put("images", images);
        m.put("entries", entries);
        m.put("entries_total", d.entries().size());
        return m;
    }

    private static Map<String, Object> extraction(Lineage.Extraction e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("extraction_id", e.id());
        m.put("run_id", e.runId());
        m.put("status", e.status());
        m.put("chars", e.chars());
        m.put("parser", e.parser());
        m.put("detail", e.error());
        List<Map<String, Object>> outputs = new ArrayList<>();
        for (Lineage.Output o : e.outputs()) outputs.add(output(o));
        m.put("outputs", outputs);
        return m;
    }

    private static Map<String, Object> output(Lineage.Output o) {
        Provenance p = o.provenance();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("output_id", p.outputId());
        m.put("task", p.task());
        m.put("final", p.isFinal());
        m.put("level", p.level());
        m.put("method", p.method());
        m.put("model", p.model());
        m.put("prompt", p.promptName() == null ? null : p.promptName() + " v" + p.promptVersion());
        m.put("finish_reason", p.finishReason());
        m.put("text", o.text());
        if (o.grounding() != null) {
            m.put("unsupported_sentences", o.grounding().unsupported());
            m.put("grounding", ExportFields.grounding(o.grounding()));
        }
        List<Map<String, Object>> chunks = new ArrayList<>();
        collectChunks(o, chunks);
        m.put("chunks", chunks);
        return m;
    }

    /** The chunks an output read, directly or through the outputs below it: spans of the extraction's text. */
    private static void collectChunks(Lineage.Output o, List<Map<String, Object>> out) {
        for (Lineage in : o.inputs()) {
            if (in instanceof Lineage.Output inner) collectChunks(inner, out);
            else if (in instanceof Lineage.Chunk c) {
                ChunkSpan s = c.span();
                out.add(Map.of("extraction_id", s.extractionId(), "seq", s.seq(), "start", s.charStart(), "end", s.charEnd()));
            }
        }
    }
}
