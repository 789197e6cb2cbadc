package dev.nightshift.connectors.export;

import dev.nightshift.pipeline.store.ExportRecord;

import java.io.IOException;
import java.io.Writer;
import java.util.Map;

/** RFC 4180 CSV with a header row; fields with commas, quotes or line breaks are quoted. */
final class CsvExportWriter implements ExportWriter {
    private final Writer out;
    private boolean headerWritten;

    CsvExportWriter(Writer out) {
        this.out = out;
    }

    @Override
    public void write(ExportRecord r) throws IOException {
        Map<String, Object> fields = ExportFields.of(r);
        if (!headerWritten) {
            writeRow(fields.keySet().toArray());
            headerWritten = true;
        }
        writeRow(fields.values().toArray());
    }

    private void writeRow(Object[] values) throws IOException {
        for (int i = 0; i < values.length; i++) {
            if (i > 0) out.write(',');
            out.write(quote(values[i] == null ? "" : values[i].toString()));
        }
        out.write("\r\n");
    }

    static String quote(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) return s;
        return '"' + s.replace("\"", "\"\"") + '"';
    }

    @Override
    public void close() throws IOException {
        out.flush();
    }
}
