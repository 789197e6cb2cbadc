package dev.nightshift.connectors.export;

import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Files written by {@link ParquetTable}, read back with Parquet's reference reader (parquet-hadoop). */
class ParquetTableTest {
    private static final List<ParquetTable.Column> COLUMNS = List.of(
            new ParquetTable.Column("supplier", ParquetTable.Kind.STRING),
            new ParquetTable.Column("items", ParquetTable.Kind.JSON),
            new ParquetTable.Column("count", ParquetTable.Kind.INT64),
            new ParquetTable.Column("total", ParquetTable.Kind.DOUBLE),
            new ParquetTable.Column("paid", ParquetTable.Kind.BOOLEAN),
            new ParquetTable.Column("issued", ParquetTable.Kind.DATE));

    /** Row i: every column's value, each column empty on its own rhythm (so groups of 8 rows mix both). */
    private static Object[] row(int i) {
        Object[] r = {
                i % 4 == 0 ? "" : "Zürich ✓ 名 \"quoted\" " + i,
                "[{\"n\":" + i + "}]",
                (long) i * 1_000_000_007L - 5,
                i * 0.25 - 3.5,
                i % 3 == 0,
                LocalDate.of(1900, 1, 1).plusDays(i * 7L)};
        for (int c = 0; c < r.length; c++) if (i % (c + 2) == 1) r[c] = null;
        return r;
    }

    @Test
    void everyValueAndEveryGapReadsBackOverSeveralRowGroups(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("fields.parquet");
        int rows = ParquetTable.ROWS_PER_GROUP * 2 + 13;
        try (OutputStream out = Files.newOutputStream(file); ParquetTable table = new ParquetTable(out, COLUMNS)) {
            for (int i = 0; i < rows; i++) table.add(row(i));
        }
        List<Group> read = new ArrayList<>();
        MessageType schema;
        try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file))) {
            schema = reader.getFooter().getFileMetaData().getSchema();
            assertThat(reader.getRowGroups()).hasSize(3);
            PageReadStore pages;
            while ((pages = reader.readNextRowGroup()) != null) {
                RecordReader<Group> records = new ColumnIOFactory().getColumnIO(schema).getRecordReader(pages, new GroupRecordConverter(schema));
                for (long r = 0; r < pages.getRowCount(); r++) read.add(records.read());
            }
        }
        assertThat(schema.getFields()).extracting(f -> f.getName()).containsExactly("supplier", "items", "count", "total", "paid", "issued");
        assertThat(schema.getType("supplier").getLogicalTypeAnnotation()).isEqualTo(LogicalTypeAnnotation.stringType());
        assertThat(schema.getType("items").getLogicalTypeAnnotation()).isEqualTo(LogicalTypeAnnotation.jsonType());
        assertThat(schema.getType("issued").getLogicalTypeAnnotation()).isEqualTo(LogicalTypeAnnotation.dateType());
        assertThat(schema.getType("total").asPrimitiveType().getPrimitiveTypeName()).isEqualTo(PrimitiveType.PrimitiveTypeName.DOUBLE);
        assertThat(read).hasSize(rows);
        for (int i = 0; i < rows; i++) {
            Object[] expected = row(i);
            Group g = read.get(i);
            for (int c = 0; c < expected.length; c++) {
                String name = COLUMNS.get(c).name();
                if (expected[c] == null) {
                    assertThat(g.getFieldRepetitionCount(c)).as("row %d %s", i, name).isZero();
                    continue;
                }
                Object actual = switch (COLUMNS.get(c).kind()) {
                    case STRING, JSON -> g.getString(c, 0);
                    case INT64 -> g.getLong(c, 0);
                    case DOUBLE -> g.getDouble(c, 0);
                    case BOOLEAN -> g.getBoolean(c, 0);
                    case DATE -> LocalDate.ofEpochDay(g.getInteger(c, 0));
                };
                assertThat(actual).as("row %d %s", i, name).isEqualTo(expected[c]);
            }
        }
    }

    @Test
    void anEmptyTableIsAFileWithItsColumnsAndNoRows(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("empty.parquet");
        try (OutputStream out = Files.newOutputStream(file); ParquetTable table = new ParquetTable(out, COLUMNS)) {
            assertThat(table).isNotNull();
        }
        try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file))) {
            assertThat(reader.getRecordCount()).isZero();
            assertThat(reader.getFooter().getFileMetaData().getSchema().getFieldCount()).isEqualTo(COLUMNS.size());
        }
    }

    @Test
    void aValueOfTheWrongTypeIsRefusedWithItsColumn(@TempDir Path dir) throws Exception {
        try (OutputStream out = Files.newOutputStream(dir.resolve("x.parquet")); ParquetTable table = new ParquetTable(out, COLUMNS)) {
            assertThatThrownBy(() -> table.add("a", null, "12", null, null, null))
                    .hasMessageContaining("column count (INT64) takes a Long, not String");
            assertThatThrownBy(() -> table.add("a")).hasMessageContaining("1 values for 6 columns");
        }
    }
}
