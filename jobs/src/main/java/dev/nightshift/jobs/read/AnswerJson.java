package dev.nightshift.jobs.read;

import dev.nightshift.connectors.export.ExportFields;
import dev.nightshift.pipeline.answer.Answer;
import dev.nightshift.pipeline.core.Passage;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An answer with its sources and its check, as {@code ask --format json} prints it and the MCP server's ask returns it. */
public final class AnswerJson {
    private AnswerJson() {
    }

    /** The answer, its sources and its check, as {@code ask --format json} and the MCP server's ask give them. */
    public static Map<String, Object> json(Answer a, Long outputId) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("question", a.question());
        m.put("answer", a.text());
        m.put("not_found", a.notFound());
        List<Map<String, Object>> sources = new ArrayList<>();
        for (int i = 0; i < a.sources().size(); i++) {
            Passage p = a.sources().get(i);
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("n", i + 1);
            s.put("path", p.path());
            s.put("document_id", p.documentId());
            s.put("extraction_id", p.extractionId());
            s.put("chunk_id", p.chunkId());
            s.put("start", p.start());
            s.put("end", p.end());
            s.put("cited", a.cited().contains(i + 1));
            sources.add(s);
        }
        m.put("sources", sources);
        m.put("grounding", a.grounding() == null ? List.of() : ExportFields.grounding(a.grounding()));
        m.put("unsupported_sentences", a.grounding() == null ? 0 : a.grounding().unsupported());
        m.put("output_id", outputId);
        return m;
    }
}
