package dev.nightshift.jobs.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nightshift.jobs.Cli;
import dev.nightshift.jobs.model.ModelCommandTest;
import dev.nightshift.pipeline.extract.ExtractionSchema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code nightshift extract} end to end with the tiny random model: its values are nonsense, so what is checked is
 * what holds whatever the model writes: every document's object follows the schema, each value is stored with its
 * evidence flag, show, export and a rerun behave, a bad schema is refused before anything runs.
 */
class ExtractCommandTest {
    static final String MODEL = ModelCommandTest.GEMMA3.toString();
    static final Path SCHEMAS = Path.of("..", "samples", "schemas").toAbsolutePath().normalize();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private String db() {
        return dir.resolve("db").toString();
    }

    @Test
    void everyDocumentGetsAnObjectThatFollowsTheSchemaWithEachValuesEvidence() throws Exception {
        Path in = Files.createDirectories(dir.resolve("in"));
        Files.writeString(in.resolve("invoice-117.txt"), """
                ACME Hafenlogistik GmbH, Kaistraße 12, Hamburg
                Invoice no. 2024-117, 4 March 2024. Customer: Stadtbibliothek Lübeck.
                Crane hire, 3 days: 2.400,00 EUR. Pilot service: 350,50 EUR. Total due: 2.750,50 EUR.""");
        Files.writeString(in.resolve("invoice-118.txt"), "Globex Ltd\nInvoice 118 of 5 May 2024\nConsulting 1,200.00 USD\nTotal 1,200.00 USD\n");
        Path schemaFile = SCHEMAS.resolve("invoice.json");
        Cli.Result r = Cli.run("extract", in.toString(), "--schema", schemaFile.toString(), "--model", MODEL, "--db", db());
        assertThat(r.exitCode()).as(r.err() + r.out()).isZero();
        assertThat(r.err()).containsPattern("schema invoice compiled for the model in [0-9.]+ s \\([0-9,]+ automaton states sharing [0-9,]+ token masks")
                .containsPattern("the shortest object takes \\d+ tokens of --max-tokens 512");
        assertThat(r.out()).containsPattern("note: \\d+ values read: \\d+ found in their text, \\d+ not_in_source")
                .contains("with fields         2")
                .as("objects are checked value by value, not as sentences").doesNotContain("unsupported ");

        var schema = ExtractionSchema.read(schemaFile).schema();
        Cli.Result jsonl = Cli.run("export", "--fields", "--format", "jsonl", "--db", db());
        assertThat(jsonl.exitCode()).as(jsonl.err()).isZero();
        List<String> lines = jsonl.out().lines().toList();
        assertThat(lines).hasSize(2);
        for (String line : lines) {
            JsonNode doc = JSON.readTree(line);
            assertThat(schema.validate(doc.get("fields"))).as(line).isEmpty();
            assertThat(doc.get("evidence")).isNotEmpty();
            for (JsonNode v : doc.get("evidence")) {
                assertThat(v.get("evidence").asText()).isIn("found", "not_in_source", "not_checked");
                if (v.get("evidence").asText().equals("found")) assertThat(v.get("end").asInt()).isGreaterThan(v.get("start").asInt());
            }
        }
        Cli.Result csv = Cli.run("export", "--fields", "--format", "csv", "--db", db());
        assertThat(csv.out().lines().findFirst().orElseThrow()).startsWith("locator,task,supplier,").endsWith(",not_in_source");
        assertThat(csv.out().lines().count()).as("a header and a row per document (values may hold line breaks, quoted)").isGreaterThanOrEqualTo(3);

        assertParquetHoldsWhatJsonlHolds(lines);

        Cli.Result show = Cli.run("show", in.resolve("invoice-117.txt").toString(), "--db", db());
        assertThat(show.out()).contains("fields (extract:invoice):").containsPattern("\\n    supplier +\"");

        // The report: a fields section, its data a table of the schema with a row per document.
        Path report = dir.resolve("report.html");
        assertThat(Cli.run("report", "--db", db(), "--out", report.toString()).exitCode()).isZero();
        String html = Files.readString(report);
        assertThat(html).contains("<section id=\"fields-section\" hidden><h2>Fields</h2>");
        String opening = "<script id=\"data\" type=\"application/json\">";
        int from = html.indexOf(opening) + opening.length();
        JsonNode data = JSON.readTree(html.substring(from, html.indexOf("</script>", from)));
        JsonNode table = data.get("fields").get(0);
        assertThat(table.get("task").asText()).isEqualTo("extract:invoice");
        assertThat(table.get("documents").asInt()).isEqualTo(2);
        assertThat(table.get("columns").get(0).asText()).isEqualTo("supplier");
        assertThat(table.get("rows")).hasSize(2).allSatisfy(row -> assertThat(row.size()).isEqualTo(table.get("columns").size() + 1));

        Cli.Result again = Cli.run("extract", in.toString(), "--schema", schemaFile.toString(), "--model", MODEL, "--db", db());
        assertThat(again.exitCode()).isZero();
        assertThat(again.out()).contains("skipped (unchanged) 2");

        Cli.Result wrongOption = Cli.run("export", "--fields", "--format", "md", "--db", db());
        assertThat(wrongOption.exitCode()).isEqualTo(2);
        Cli.Result parquetToTerminal = Cli.run("export", "--fields", "--format", "parquet", "--db", db());
        assertThat(parquetToTerminal.exitCode()).isEqualTo(2);
        assertThat(parquetToTerminal.err()).contains("give --out FILE");
        Cli.Result outputsAsParquet = Cli.run("export", "--format", "parquet", "--out", dir.resolve("x.parquet").toString(), "--db", db());
        assertThat(outputsAsParquet.err()).as("without --fields: the outputs, as every export").contains("exported 2 outputs");
        assertThat(Cli.run("export", "--fields", "--format", "csv", "--schema", "letter", "--db", db()).err()).contains("give --schema with one of invoice");
    }

    /**
     * {@code export --fields --format parquet}, read with Parquet's reference reader: a row per document, the
     * columns typed as the schema declares (dates as DATE, the total a DOUBLE, the item list JSON text), each value
     * the one the JSONL export gives.
     */
    private void assertParquetHoldsWhatJsonlHolds(List<String> jsonlLines) throws Exception {
        Path file = dir.resolve("out").resolve("fields.parquet");
        Cli.Result parquet = Cli.run("export", "--fields", "--format", "parquet", "--out", file.toString(), "--db", db());
        assertThat(parquet.exitCode()).as(parquet.err()).isZero();
        assertThat(parquet.err()).contains("exported the fields of 2 documents to");
        dev.nightshift.jobs.ParquetRows read = dev.nightshift.jobs.ParquetRows.read(file);
        var columns = read.columns();
        var rows = read.rows();
        assertThat(columns.getFields().get(0).getName()).isEqualTo("locator");
        assertThat(columns.getFields().get(columns.getFieldCount() - 1).getName()).isEqualTo("not_in_source");
        assertThat(rows).hasSize(jsonlLines.size());
        for (int i = 0; i < rows.size(); i++) {
            JsonNode doc = JSON.readTree(jsonlLines.get(i));
            var row = rows.get(i);
            assertThat(row.getString("locator", 0)).isEqualTo(doc.get("locator").asText());
            for (var e : (Iterable<java.util.Map.Entry<String, JsonNode>>) () -> doc.get("fields").fields()) {
                String name = e.getKey();
                JsonNode v = e.getValue();
                var type = columns.getType(name);
                if (row.getFieldRepetitionCount(name) == 0) {
                    assertThat(v.isNull()).as(name).isTrue();
                    continue;
                }
                Object actual;
                if (type.getLogicalTypeAnnotation() instanceof org.apache.parquet.schema.LogicalTypeAnnotation.DateLogicalTypeAnnotation) {
                    actual = java.time.LocalDate.ofEpochDay(row.getInteger(name, 0)).toString();
                    assertThat(actual).as(name).isEqualTo(v.asText());
                } else if (type.getLogicalTypeAnnotation() instanceof org.apache.parquet.schema.LogicalTypeAnnotation.JsonLogicalTypeAnnotation) {
                    assertThat(JSON.readTree(row.getString(name, 0))).as(name).isEqualTo(v);
                } else if (v.isTextual()) {
                    assertThat(row.getString(name, 0)).as(name).isEqualTo(v.asText());
                } else if (v.isIntegralNumber() && type.asPrimitiveType().getPrimitiveTypeName() == org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.INT64) {
                    assertThat(row.getLong(name, 0)).as(name).isEqualTo(v.asLong());
                } else if (v.isNumber()) {
                    assertThat(row.getDouble(name, 0)).as(name).isEqualTo(v.asDouble());
                } else {
                    assertThat(row.getBoolean(name, 0)).as(name).isEqualTo(v.asBoolean());
                }
            }
        }
        assertThat(columns.getType("date").getLogicalTypeAnnotation()).as("a format: date field")
                .isInstanceOf(org.apache.parquet.schema.LogicalTypeAnnotation.DateLogicalTypeAnnotation.class);
        assertThat(columns.getType("total").asPrimitiveType().getPrimitiveTypeName()).as("a number, whatever the values look like")
                .isEqualTo(org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.DOUBLE);
        assertThat(columns.getType("items").getLogicalTypeAnnotation()).as("a list")
                .isInstanceOf(org.apache.parquet.schema.LogicalTypeAnnotation.JsonLogicalTypeAnnotation.class);
    }

    @Test
    void aSchemaOutsideTheSubsetIsRefusedBeforeAnythingRuns() throws Exception {
        Path schema = Files.writeString(dir.resolve("bad.json"), """
                {"type": "object", "properties": {"email": {"type": "string", "format": "email"}, "x": {"anyOf": []}}}""");
        Cli.Result r = Cli.run("extract", dir.toString(), "--schema", schema.toString(), "--model", MODEL, "--db", db());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("\"format\": \"email\" is not supported").contains("x: \"type\" must be one of");
        assertThat(Files.exists(dir.resolve("db.mv.db"))).as("no database made").isFalse();
        Path notJson = Files.writeString(dir.resolve("broken.json"), "{\"type\": ");
        assertThat(Cli.run("extract", dir.toString(), "--schema", notJson.toString(), "--model", MODEL, "--db", db()).err()).contains("is not JSON");
        assertThat(Cli.run("extract", dir.toString(), "--schema", dir.resolve("none.json").toString(), "--model", MODEL, "--db", db()).err())
                .contains("--schema: no such file");
    }
}
