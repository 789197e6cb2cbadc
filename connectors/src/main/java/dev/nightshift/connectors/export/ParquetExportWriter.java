package dev.nightshift.connectors.export;

import dev.nightshift.pipeline.store.ExportRecord;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Export records as a Parquet file ({@link ParquetTable}): the columns of the CSV export, typed (ids, sizes,
 * counts and durations as INT64, {@code final} as BOOLEAN, the rest text), for pandas, DuckDB or Spark.
 */
public final class ParquetExportWriter implements ExportWriter {
    /** The columns of {@link ExportFields} holding whole numbers. */
    private static final Set<String> WHOLE = Set.of("output_id", "run_id", "document_size", "extraction_id", "chunk_count",
            "level", "prompt_tokens", "generated_tokens", "duration_ms", "sentences_checked", "unsupported_sentences");
    private static final Set<String> FLAGS = Set.of("final");

    private final ParquetTable table;
    private final List<ParquetTable.Column> columns;

    public ParquetExportWriter(OutputStream out) throws IOException {
        List<ParquetTable.Column> c = new ArrayList<>();
        for (String name : ExportFields.NAMES) {
            ParquetTable.Kind kind = WHOLE.contains(name) ? ParquetTable.Kind.INT64 : FLAGS.contains(name) ? ParquetTable.Kind.BOOLEAN : ParquetTable.Kind.STRING;
            c.add(new ParquetTable.Column(name, kind));
        }
        this.columns = List.copyOf(c);
        this.table = new ParquetTable(out, columns);
    }

    @Override
    public void write(ExportRecord record) throws IOException {
        Map<String, Object> fields = ExportFields.of(record);
        Object[] row = new Object[columns.size()];
        for (int i = 0; i < row.length; i++) {
            ParquetTable.Column c = columns.get(i);
            Object v = fields.get(c.name());
            row[i] = v == null ? null : switch (c.kind()) {
                case INT64 -> ((Number) v).longValue();
                case BOOLEAN -> (Boolean) v;
                default -> v.toString();
            };
        }
        table.add(row);
    }

    /** Writes the footer; the stream belongs to the caller. */
    @Override
    public void close() throws IOException {
        table.close();
    }
}
