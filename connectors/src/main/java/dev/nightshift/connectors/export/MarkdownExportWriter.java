package dev.nightshift.connectors.export;

import dev.nightshift.pipeline.core.Visible;
import dev.nightshift.pipeline.store.ExportRecord;

import java.io.IOException;
import java.io.Writer;
import java.util.Map;

/** A readable report: a section per output, its text, then its provenance as a list. */
final class MarkdownExportWriter implements ExportWriter {
    private final Writer out;
    private boolean titleWritten;

    MarkdownExportWriter(Writer out) {
        this.out = out;
    }

    @Override
    public void write(ExportRecord r) throws IOException {
        if (!titleWritten) {
            out.write("# nightshift export\n\n");
            titleWritten = true;
        }
        // Names and texts come from outside: control characters are shown, not sent to whoever reads the file.
        out.write("## " + Visible.line(r.document().locator()) + "\n\n");
        for (String line : r.text().split("\n", -1)) {
            out.write("> " + Visible.safe(line) + "\n");
        }
        out.write("\n");
        if (r.grounding() != null && r.grounding().unsupported() > 0) {
            out.write("Not supported by the source (" + r.grounding().unsupported() + " of " + r.grounding().sentences().size() + " sentences):\n\n");
            for (var s : r.grounding().sentences()) {
                if (s.supported()) continue;
                out.write("- " + Visible.line(s.sentence()) + " (" + String.join(", ", s.flags()).replace("`", "'") + ")\n");
            }
            out.write("\n");
        }
        for (Map.Entry<String, Object> f : ExportFields.of(r).entrySet()) {
            if (f.getKey().equals("text") || f.getValue() == null) continue;
            out.write("- " + f.getKey() + ": `" + Visible.line(f.getValue().toString()).replace("`", "'") + "`\n");
        }
        out.write("\n");
    }

    @Override
    public void close() throws IOException {
        out.flush();
    }
}
