package dev.nightshift.jobs;

import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.schema.MessageType;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A Parquet file read with Parquet's reference reader (parquet-hadoop): its columns and every row. */
public record ParquetRows(MessageType columns, List<Group> rows) {
    public static ParquetRows read(Path file) throws IOException {
        List<Group> rows = new ArrayList<>();
        try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file))) {
            MessageType columns = reader.getFooter().getFileMetaData().getSchema();
            PageReadStore pages;
            while ((pages = reader.readNextRowGroup()) != null) {
                var records = new ColumnIOFactory().getColumnIO(columns).getRecordReader(pages, new GroupRecordConverter(columns));
                for (long r = 0; r < pages.getRowCount(); r++) rows.add(records.read());
            }
            return new ParquetRows(columns, rows);
        }
    }
}
