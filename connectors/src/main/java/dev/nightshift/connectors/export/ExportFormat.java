package dev.nightshift.connectors.export;

import java.io.Writer;

/** The formats {@code nightshift export} writes. */
public enum ExportFormat {
    JSONL, CSV, MD;

    public ExportWriter open(Writer out) {
        return switch (this) {
            case JSONL -> new JsonlExportWriter(out);
            case CSV -> new CsvExportWriter(out);
            case MD -> new MarkdownExportWriter(out);
        };
    }
}
