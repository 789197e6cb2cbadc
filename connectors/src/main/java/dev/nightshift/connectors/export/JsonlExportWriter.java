package dev.nightshift.connectors.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nightshift.pipeline.store.ChunkSpan;
import dev.nightshift.pipeline.store.ExportRecord;

import java.io.IOException;
import java.io.Writer;
import java.util.Map;

/** One JSON object per line; chunks are an array of {seq, char_start, char_end, token_count}. */
final class JsonlExportWriter implements ExportWriter {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Writer out;

    JsonlExportWriter(Writer out) {
        this.out = out;
    }

    @Override
    public void write(ExportRecord r) throws IOException {
        ObjectNode node = JSON.createObjectNode();
        for (Map.Entry<String, Object> f : ExportFields.of(r).entrySet()) {
            node.set(f.getKey(), JSON.valueToTree(f.getValue()));
        }
        var chunks = node.putArray("chunks");
        for (ChunkSpan c : r.chunks()) {
            chunks.addObject().put("seq", c.seq()).put("char_start", c.charStart()).put("char_end", c.charEnd())
                    .put("token_count", c.tokenCount());
        }
        if (r.grounding() != null) node.set("grounding", JSON.valueToTree(ExportFields.grounding(r.grounding())));
        out.write(JSON.writeValueAsString(node));
        out.write('\n');
    }

    @Override
    public void close() throws IOException {
        out.flush();
    }
}
