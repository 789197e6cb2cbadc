package dev.nightshift.connectors.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nightshift.pipeline.store.ChunkSpan;
import dev.nightshift.pipeline.store.DocumentInfo;
import dev.nightshift.pipeline.store.ExportRecord;
import dev.nightshift.pipeline.store.Provenance;
import org.junit.jupiter.api.Test;

import java.io.StringWriter;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ExportFormatTest {
    static ExportRecord record(String text) {
        return new ExportRecord(new DocumentInfo(11, "/data/a, \"b\".pdf", "ab".repeat(32), 1234, "application/pdf", "en", null), 5,
                "org.apache.tika.parser.pdf.PDFParser", "3.3.1",
                List.of(new ChunkSpan(5, 0, 0, 100, 30, "heuristic"), new ChunkSpan(5, 1, 102, 200, 28, "heuristic")),
                new Provenance(7, 3, "summary", "extractive", null, null, null, null, null, "algorithm=textrank-v1;words=120",
                        1, true, "extractive", 0, 0, 12, Instant.parse("2026-11-27T10:00:00Z")), text, null);
    }

    private static String write(ExportFormat format, ExportRecord... records) throws Exception {
        StringWriter out = new StringWriter();
        try (ExportWriter w = format.open(out)) {
            for (ExportRecord r : records) w.write(r);
        }
        return out.toString();
    }

    @Test
    void jsonlCarriesTheProvenanceOnOneLinePerOutput() throws Exception {
        String jsonl = write(ExportFormat.JSONL, record("line one\nline two"), record("second"));
        String[] lines = jsonl.split("\n");
        assertThat(lines).hasSize(2);
        JsonNode first = new ObjectMapper().readTree(lines[0]);
        assertThat(first.get("source_path").asText()).isEqualTo("/data/a, \"b\".pdf");
        assertThat(first.get("document_sha256").asText()).hasSize(64);
        assertThat(first.get("extraction_parser").asText()).endsWith("PDFParser");
        assertThat(first.get("chunk_span").asText()).isEqualTo("0:[0,100) 1:[102,200)");
        assertThat(first.get("chunks").get(1).get("char_start").asInt()).isEqualTo(102);
        assertThat(first.get("method").asText()).isEqualTo("extractive");
        assertThat(first.get("parameters").asText()).contains("words=120");
        assertThat(first.get("run_id").asInt()).isEqualTo(3);
        assertThat(first.get("text").asText()).isEqualTo("line one\nline two");
    }

    @Test
    void aFieldASpreadsheetWouldRunIsWrittenAsText() {
        assertThat(Csv.row("=HYPERLINK(\"http://x\",\"y\")", "+cmd|' /C calc'!A0", "@SUM(A1)", "\tx", "+49", "-12.5", "- a bullet", "plain"))
                .isEqualTo("\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",'+cmd|' /C calc'!A0,'@SUM(A1),'\tx,+49,-12.5,- a bullet,plain\r\n");
    }

    @Test
    void csvQuotesWhatNeedsQuoting() throws Exception {
        String csv = write(ExportFormat.CSV, record("said \"hi\", then left\nnext line"));
        String[] rows = csv.split("\r\n");
        assertThat(rows[0]).startsWith("output_id,run_id,source_path,document_sha256");
        assertThat(csv).contains("\"/data/a, \"\"b\"\".pdf\"");
        assertThat(csv).contains("\"said \"\"hi\"\", then left\nnext line\"");
    }

    @Test
    void quoteLeavesPlainFieldsAlone() {
        assertThat(Csv.quote("plain")).isEqualTo("plain");
        assertThat(Csv.quote("a,b")).isEqualTo("\"a,b\"");
    }

    @Test
    void markdownShowsTextAndProvenance() throws Exception {
        String md = write(ExportFormat.MD, record("A summary.\nSecond line."));
        assertThat(md).startsWith("# nightshift export").contains("> A summary.\n> Second line.")
                .contains("- document_sha256: `" + "ab".repeat(32) + "`").contains("- chunk_span: `0:[0,100) 1:[102,200)`");
    }
}
