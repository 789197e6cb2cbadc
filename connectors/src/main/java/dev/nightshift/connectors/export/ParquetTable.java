package dev.nightshift.connectors.export;

import org.apache.parquet.format.ColumnChunk;
import org.apache.parquet.format.ColumnMetaData;
import org.apache.parquet.format.CompressionCodec;
import org.apache.parquet.format.ConvertedType;
import org.apache.parquet.format.DataPageHeader;
import org.apache.parquet.format.DateType;
import org.apache.parquet.format.Encoding;
import org.apache.parquet.format.FieldRepetitionType;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.JsonType;
import org.apache.parquet.format.LogicalType;
import org.apache.parquet.format.PageHeader;
import org.apache.parquet.format.PageType;
import org.apache.parquet.format.RowGroup;
import org.apache.parquet.format.SchemaElement;
import org.apache.parquet.format.StringType;
import org.apache.parquet.format.Type;
import org.apache.parquet.format.Util;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * A Parquet file of flat, optional columns, written row by row: what {@code export --fields --format parquet}
 * writes for pandas, DuckDB, Spark or a spreadsheet's Parquet import.
 *
 * <p>Written with the format's own Thrift structures ({@code parquet-format-structures}) and no Hadoop: the
 * writer of {@code parquet-hadoop} needs Hadoop's classes even for a local file (apache/parquet-java#2938).
 * The file is the plainest the format allows, which every reader takes:
 * <pre>
 * "PAR1"
 * per row group (at most {@link #ROWS_PER_GROUP} rows, so memory does not grow with the rows):
 *   per column: one data page v1, uncompressed:
 *     PageHeader (Thrift compact) | 4-byte length + definition levels (RLE/bit-packed hybrid, bit width 1)
 *                                 | the values present, PLAIN (BYTE_ARRAY: 4-byte length + UTF-8; INT64 and
 *                                   DOUBLE: 8 bytes little endian; INT32 4; BOOLEAN: one bit each)
 * FileMetaData (Thrift compact) | its length, 4 bytes little endian | "PAR1"
 * </pre>
 */
public final class ParquetTable implements Closeable {
    /** Rows kept before a row group is written. */
    static final int ROWS_PER_GROUP = 10_000;
    private static final byte[] MAGIC = "PAR1".getBytes(StandardCharsets.US_ASCII);

    /** What a column holds. */
    public enum Kind {
        /** Text (a {@code String}). */
        STRING,
        /** JSON text (a {@code String}) of a list or an object. */
        JSON,
        /** A whole number (a {@code Long}). */
        INT64,
        /** A number (a {@code Double}). */
        DOUBLE,
        BOOLEAN,
        /** A day (a {@code LocalDate}). */
        DATE
    }

    public record Column(String name, Kind kind) {
    }

    private final List<Column> columns;
    private final Counting out;
    private final List<Object[]> rows = new ArrayList<>();
    private final List<RowGroup> groups = new ArrayList<>();
    private long rowCount;

    public ParquetTable(OutputStream target, List<Column> columns) throws IOException {
        if (columns.isEmpty()) throw new IllegalArgumentException("a table needs a column");
        this.columns = List.copyOf(columns);
        this.out = new Counting(target);
        out.write(MAGIC);
    }

    /** One row: a value per column, in column order, of the column's Java type, or null. */
    public void add(Object... values) throws IOException {
        if (values.length != columns.size()) throw new IllegalArgumentException(values.length + " values for " + columns.size() + " columns");
        for (int c = 0; c < values.length; c++) check(columns.get(c), values[c]);
        rows.add(values.clone());
        if (rows.size() == ROWS_PER_GROUP) flush();
    }

    /** Writes the rows left and the footer; closes nothing else (the caller owns the stream). */
    @Override
    public void close() throws IOException {
        if (!rows.isEmpty()) flush();
        List<SchemaElement> schema = new ArrayList<>();
        SchemaElement root = new SchemaElement("schema");
        root.setNum_children(columns.size());
        schema.add(root);
        for (Column c : columns) schema.add(element(c));
        FileMetaData meta = new FileMetaData(1, schema, rowCount, groups);
        meta.setCreated_by("nightshift");
        ByteArrayOutputStream footer = new ByteArrayOutputStream();
        Util.writeFileMetaData(meta, footer);
        footer.writeTo(out);
        writeIntLe(out, footer.size());
        out.write(MAGIC);
        out.flush();
    }

    private void flush() throws IOException {
        List<ColumnChunk> chunks = new ArrayList<>();
        long groupBytes = 0;
        long groupStart = out.count;
        for (int c = 0; c < columns.size(); c++) {
            Column column = columns.get(c);
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            byte[] levels = definitionLevels(c);
            writeIntLe(body, levels.length);
            body.write(levels);
            body.write(values(c, column.kind()));
            PageHeader header = new PageHeader(PageType.DATA_PAGE, body.size(), body.size());
            header.setData_page_header(new DataPageHeader(rows.size(), Encoding.PLAIN, Encoding.RLE, Encoding.RLE));
            long offset = out.count;
            Util.writePageHeader(header, out);
            body.writeTo(out);
            long size = out.count - offset;
            ColumnMetaData meta = new ColumnMetaData(type(column.kind()), List.of(Encoding.PLAIN, Encoding.RLE),
                    List.of(column.name()), CompressionCodec.UNCOMPRESSED, rows.size(), size, size, offset);
            ColumnChunk chunk = new ColumnChunk(offset);
            chunk.setMeta_data(meta);
            chunks.add(chunk);
            groupBytes += size;
        }
        RowGroup group = new RowGroup(chunks, groupBytes, rows.size());
        group.setFile_offset(groupStart);
        group.setTotal_compressed_size(groupBytes);
        groups.add(group);
        rowCount += rows.size();
        rows.clear();
    }

    /** 1 where row r has a value in column c, else 0: bit-packed runs of 8 (one byte each, first row lowest bit). */
    private byte[] definitionLevels(int c) {
        int n = rows.size();
        int groupsOf8 = (n + 7) / 8;
        ByteArrayOutputStream levels = new ByteArrayOutputStream();
        writeVarInt(levels, groupsOf8 << 1 | 1);
        for (int g = 0; g < groupsOf8; g++) {
            int b = 0;
            for (int i = 0; i < 8 && g * 8 + i < n; i++) if (rows.get(g * 8 + i)[c] != null) b |= 1 << i;
            levels.write(b);
        }
        return levels.toByteArray();
    }

    /** The values present in column c, PLAIN. */
    private byte[] values(int c, Kind kind) throws IOException {
        ByteArrayOutputStream v = new ByteArrayOutputStream();
        int bit = 0, pending = 0;
        for (Object[] row : rows) {
            Object x = row[c];
            if (x == null) continue;
            switch (kind) {
                case STRING, JSON -> {
                    byte[] b = ((String) x).getBytes(StandardCharsets.UTF_8);
                    writeIntLe(v, b.length);
                    v.write(b);
                }
                case INT64 -> writeLongLe(v, (Long) x);
                case DOUBLE -> writeLongLe(v, Double.doubleToLongBits((Double) x));
                case DATE -> writeIntLe(v, Math.toIntExact(((LocalDate) x).toEpochDay()));
                case BOOLEAN -> {
                    if ((Boolean) x) pending |= 1 << bit;
                    if (++bit == 8) {
                        v.write(pending);
                        bit = 0;
                        pending = 0;
                    }
                }
            }
        }
        if (bit > 0) v.write(pending);
        return v.toByteArray();
    }

    private static SchemaElement element(Column c) {
        SchemaElement e = new SchemaElement(c.name());
        e.setType(type(c.kind()));
        e.setRepetition_type(FieldRepetitionType.OPTIONAL);
        switch (c.kind()) {
            case STRING -> {
                e.setConverted_type(ConvertedType.UTF8);
                e.setLogicalType(LogicalType.STRING(new StringType()));
            }
            case JSON -> {
                e.setConverted_type(ConvertedType.JSON);
                e.setLogicalType(LogicalType.JSON(new JsonType()));
            }
            case DATE -> {
                e.setConverted_type(ConvertedType.DATE);
                e.setLogicalType(LogicalType.DATE(new DateType()));
            }
            default -> {
                // INT64, DOUBLE and BOOLEAN are physical types of their own.
            }
        }
        return e;
    }

    private static Type type(Kind kind) {
        return switch (kind) {
            case STRING, JSON -> Type.BYTE_ARRAY;
            case INT64 -> Type.INT64;
            case DOUBLE -> Type.DOUBLE;
            case BOOLEAN -> Type.BOOLEAN;
            case DATE -> Type.INT32;
        };
    }

    private static void check(Column c, Object value) {
        if (value == null) return;
        Class<?> expected = switch (c.kind()) {
            case STRING, JSON -> String.class;
            case INT64 -> Long.class;
            case DOUBLE -> Double.class;
            case BOOLEAN -> Boolean.class;
            case DATE -> LocalDate.class;
        };
        if (!expected.isInstance(value))
            throw new IllegalArgumentException("column " + c.name() + " (" + c.kind() + ") takes a " + expected.getSimpleName() + ", not " + value.getClass().getSimpleName());
    }

    private static void writeIntLe(OutputStream o, int v) throws IOException {
        o.write(v);
        o.write(v >>> 8);
        o.write(v >>> 16);
        o.write(v >>> 24);
    }

    private static void writeLongLe(OutputStream o, long v) throws IOException {
        writeIntLe(o, (int) v);
        writeIntLe(o, (int) (v >>> 32));
    }

    private static void writeVarInt(OutputStream o, int v) {
        try {
            while ((v & ~0x7f) != 0) {
                o.write(v & 0x7f | 0x80);
                v >>>= 7;
            }
            o.write(v);
        } catch (IOException e) {
            throw new IllegalStateException(e); // a ByteArrayOutputStream does not fail
        }
    }

    /** Counts the bytes written: the offsets the footer gives. */
    private static final class Counting extends FilterOutputStream {
        long count;

        Counting(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }
}
