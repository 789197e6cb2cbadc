package dev.nightshift.spark;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;

import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Database tables as Parquet files and back: one file per table, one column per column, the same names and
 * values (times as ISO-8601 text). What a partition commits and {@code nightshift import} reads.
 */
final class ParquetTables {
    private ParquetTables() {
    }

    /** Writes each table of the open database to {@code folder/<table>.parquet}. */
    static void dump(Connection c, List<String> tables, Path folder, Configuration conf) throws SQLException, IOException {
        for (String table : tables) {
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT * FROM " + table)) {
                ResultSetMetaData md = rs.getMetaData();
                Types.MessageTypeBuilder schema = Types.buildMessage();
                int n = md.getColumnCount();
                for (int i = 1; i <= n; i++) {
                    String name = md.getColumnLabel(i).toLowerCase(java.util.Locale.ROOT);
                    Type.Repetition rep = Type.Repetition.OPTIONAL;
                    switch (md.getColumnType(i)) {
                        case java.sql.Types.BIGINT -> schema.primitive(PrimitiveType.PrimitiveTypeName.INT64, rep).named(name);
                        case java.sql.Types.INTEGER, java.sql.Types.SMALLINT -> schema.primitive(PrimitiveType.PrimitiveTypeName.INT32, rep).named(name);
                        case java.sql.Types.BOOLEAN -> schema.primitive(PrimitiveType.PrimitiveTypeName.BOOLEAN, rep).named(name);
                        case java.sql.Types.DOUBLE, java.sql.Types.FLOAT, java.sql.Types.REAL ->
                                schema.primitive(PrimitiveType.PrimitiveTypeName.DOUBLE, rep).named(name);
                        default -> schema.primitive(PrimitiveType.PrimitiveTypeName.BINARY, rep).as(LogicalTypeAnnotation.stringType()).named(name);
                    }
                }
                MessageType type = schema.named(table);
                SimpleGroupFactory groups = new SimpleGroupFactory(type);
                try (ParquetWriter<Group> w = ExampleParquetWriter.builder(new Path(folder, table + ".parquet")).withConf(conf).withType(type)
                        .withCompressionCodec(CompressionCodecName.SNAPPY).build()) {
                    while (rs.next()) {
                        Group g = groups.newGroup();
                        for (int i = 1; i <= n; i++) {
                            Object v = rs.getObject(i);
                            if (v == null) continue;
                            String name = type.getFieldName(i - 1);
                            switch (type.getType(i - 1).asPrimitiveType().getPrimitiveTypeName()) {
                                case INT64 -> g.add(name, ((Number) v).longValue());
                                case INT32 -> g.add(name, ((Number) v).intValue());
                                case BOOLEAN -> g.add(name, (Boolean) v);
                                case DOUBLE -> g.add(name, ((Number) v).doubleValue());
                                default -> g.add(name, v instanceof java.sql.Clob clob ? clob.getSubString(1, (int) clob.length()) : v.toString());
                            }
                        }
                        w.write(g);
                    }
                }
            }
        }
    }

    /** The rows of {@code folder/<table>.parquet}, column names as written; absent file: no rows. */
    static List<Map<String, Object>> read(Path folder, String table, Configuration conf) throws IOException {
        Path file = new Path(folder, table + ".parquet");
        List<Map<String, Object>> rows = new ArrayList<>();
        if (!file.getFileSystem(conf).exists(file)) return rows;
        try (ParquetReader<Group> r = ParquetReader.builder(new GroupReadSupport(), file).withConf(conf).build()) {
            for (Group g = r.read(); g != null; g = r.read()) {
                Map<String, Object> row = new LinkedHashMap<>();
                var type = g.getType();
                for (int i = 0; i < type.getFieldCount(); i++) {
                    String name = type.getFieldName(i);
                    if (g.getFieldRepetitionCount(i) == 0) {
                        row.put(name, null);
                        continue;
                    }
                    row.put(name, switch (type.getType(i).asPrimitiveType().getPrimitiveTypeName()) {
                        case INT64 -> g.getLong(i, 0);
                        case INT32 -> g.getInteger(i, 0);
                        case BOOLEAN -> g.getBoolean(i, 0);
                        case DOUBLE -> g.getDouble(i, 0);
                        default -> g.getString(i, 0);
                    });
                }
                rows.add(row);
            }
        }
        return rows;
    }
}
