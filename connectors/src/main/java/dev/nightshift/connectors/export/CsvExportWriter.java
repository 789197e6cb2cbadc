package dev.nightshift.connectors.export;

import dev.nightshift.pipeline.store.ExportRecord;

import java.io.IOException;
import java.io.Writer;
import java.util.Map;

/** RFC 4180 CSV with a header row (see {@link Csv}). */
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
        out.write(Csv.row(values));
    }

    @Override
    public void close() throws IOException {
        out.flush();
    }
}
