package dev.nightshift.connectors.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nightshift.pipeline.core.SentenceCheck;
import dev.nightshift.pipeline.store.ReportRow;
import dev.nightshift.pipeline.store.OutputQueries;
import dev.nightshift.pipeline.store.FieldRows;
import dev.nightshift.pipeline.store.SegmentRows;
import dev.nightshift.pipeline.store.StatusQueries;
import dev.nightshift.pipeline.store.Store;
import dev.nightshift.pipeline.store.StatusReport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The morning report: one self-contained HTML file (styles, scripts and Apache ECharts inline; nothing
 * fetched, so it opens from a USB stick on a machine without internet). It shows the totals, the runs,
 * documents finished per minute, failures by reason and by media type with the failed files listed,
 * and every document in a table that filters and sorts and renders only the rows in view (50,000
 * documents stay fast), with a document's lineage one click away.
 *
 * <p>All data goes into one JSON block read by the page's script, which sets every text with
 * {@code textContent}; in the JSON, {@code <}, {@code >} and {@code &} are escaped, so no file name or
 * document text can close the block or become markup.
 */
public final class HtmlReport {
    private static final String ECHARTS = "/META-INF/resources/webjars/echarts/5.3.1/dist/echarts.min.js";
    /** Characters of an output's text kept in the table's data (the whole text is one `show` away). */
    static final int TEXT_LIMIT = 2000;

    private HtmlReport() {
    }

    /**
     * Writes the report of the database behind {@code reports} to {@code out} as {@link
     * dev.nightshift.connectors.export.OutputFile} writes: whole or not at all, links and devices kept.
     *
     * @param runId the run whose throughput is charted, or null for the latest
     */
    public static void write(Store store, Path databaseFile, Long runId, Path out) throws IOException {
        dev.nightshift.connectors.export.OutputFile.write(out, w -> write(store, databaseFile, runId, w));
    }

    /** Writes the report to {@code w}. */
    public static void write(Store store, Path databaseFile, Long runId, Writer w) throws IOException {
        StatusQueries queries = new StatusQueries(store);
        StatusReport status = queries.status();
        List<StatusReport.RunInfo> runs = queries.runs();
        long run = runId != null ? runId : runs.isEmpty() ? 0 : runs.get(0).id();
        w.write("""
                <!DOCTYPE html>
                <html lang="en"><head><meta charset="utf-8">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <title>nightshift report</title>
                <style>""");
        w.write(resource("/report/report.css"));
        w.write("""
                </style></head>
                <body>
                <header><h1>nightshift report</h1><p id="subtitle"></p></header>
                <main>
                <section><h2>At a glance</h2><div class="totals" id="totals"></div><div id="runs" class="muted"></div></section>
                <section><h2>The night</h2><div class="charts">
                <div class="chart" id="chart-throughput"></div><div class="chart" id="chart-reasons"></div><div class="chart" id="chart-types"></div>
                </div></section>
                <section><h2>Failed documents</h2><div id="failures"></div></section>
                <section id="fields-section" hidden><h2>Fields</h2><div id="fields"></div></section>
                <section><h2>Documents</h2>
                <input id="filter" type="search" placeholder="Filter: words of the path, type, language, status or text" autocomplete="off">
                <span id="shown" class="muted"></span>
                <div id="table"><div class="head" id="head"><span data-column="path">path</span><span data-column="type">type</span>
                <span data-column="lang">lang</span><span data-column="status">status</span><span data-column="text">summary, translation or detail</span>
                <span data-column="unsupported">checks</span></div><div id="spacer"></div></div>
                </section>
                <section id="details-section" hidden><h2>Lineage</h2><div id="details"></div></section>
                </main>
                <script id="data" type="application/json">""");
        writeData(queries, new OutputQueries(store), new SegmentRows(store).counts(), new FieldRows(store), databaseFile, status, runs, run, w);
        w.write("</script>\n<script>");
        w.write(resource(ECHARTS));
        w.write("</script>\n<script>");
        w.write(resource("/report/report.js"));
        w.write("</script>\n</body></html>\n");
    }

    private static void writeData(StatusQueries statusQueries, OutputQueries outputs, long[] segments, FieldRows fields, Path databaseFile, StatusReport status,
                                  List<StatusReport.RunInfo> runs, long run, Writer w) throws IOException {
        ObjectMapper json = new ObjectMapper();
        // <, > and & as \\u escapes: the block cannot be closed by a file name or a document's text.
        json.getFactory().setCharacterEscapes(new HtmlSafeEscapes());
        try (JsonGenerator g = json.getFactory().createGenerator(new NonClosing(w))) {
            g.writeStartObject();
            g.writeStringField("generated_at", Instant.now().toString());
            g.writeStringField("database", databaseFile.toString());
            Map<String, Object> totals = new LinkedHashMap<>();
            totals.put("files", status.files());
            totals.put("entries", status.entries());
            totals.put("documents", status.documents());
            totals.put("extracted", status.extracted());
            totals.put("images", status.images());
            totals.put("failed", status.failed());
            totals.put("outputs", status.outputs());
            totals.put("skipped", status.skipped());
            // Files translated in their own format: their segments, and those the check flagged (failures --segments).
            totals.put("segments", segments[0]);
            totals.put("segments_flagged", segments[1]);
            g.writeFieldName("status");
            json.writeValue(g, totals);
            g.writeArrayFieldStart("runs");
            for (StatusReport.RunInfo r : runs) {
                g.writeStartObject();
                g.writeNumberField("id", r.id());
                g.writeStringField("command", r.command());
                g.writeStringField("status", r.status());
                g.writeStringField("started_at", String.valueOf(r.startedAt()));
                g.writeStringField("ended_at", r.endedAt() == null ? null : r.endedAt().toString());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeNumberField("run", run);
            g.writeArrayFieldStart("throughput");
            for (long[] p : statusQueries.perMinute(run)) {
                g.writeStartArray();
                g.writeNumber(p[0]);
                g.writeNumber(p[1]);
                g.writeEndArray();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("columns");
            for (String c : new String[] {"id", "path", "type", "lang", "status", "detail", "chunks", "task", "text", "model", "prompt",
                    "finish", "cut", "run", "unsupported", "claims"}) {
                g.writeString(c);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("rows");
            outputs.reportRows(r -> {
                try {
                    row(g, r);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            g.writeEndArray();
            writeFields(g, fields);
            g.writeEndObject();
        }
    }

    /** Most documents listed per schema in the fields tables; export --fields has them all. */
    static final int FIELD_ROWS = 2000;

    /**
     * The fields extract read, a table per schema: {task, columns (the top-level fields), rows: [path, values...],
     * flagged: per row the top-level fields with a value the text does not write, documents: how many there are}.
     */
    private static void writeFields(JsonGenerator g, FieldRows fields) throws IOException {
        ObjectMapper json = new ObjectMapper();
        g.writeArrayFieldStart("fields");
        for (String task : fields.tasks()) {
            dev.nightshift.pipeline.store.FieldOrder order = new dev.nightshift.pipeline.store.FieldOrder();
            List<Object[]> rows = new java.util.ArrayList<>();
            long[] documents = {0};
            fields.documents(task, null, d -> {
                documents[0]++;
                if (rows.size() >= FIELD_ROWS) return;
                try {
                    com.fasterxml.jackson.databind.JsonNode o = json.readTree(d.object());
                    order.add(o.fieldNames());
                    java.util.Set<String> flagged = new java.util.TreeSet<>();
                    for (FieldRows.Value v : d.values()) if (v.evidence().equals("not_in_source")) flagged.add(v.field());
                    rows.add(new Object[]{d.locator(), o, flagged});
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            List<String> columns = order.order();
            g.writeStartObject();
            g.writeStringField("task", task);
            g.writeNumberField("documents", documents[0]);
            g.writeArrayFieldStart("columns");
            for (String c : columns) g.writeString(c);
            g.writeEndArray();
            g.writeArrayFieldStart("rows");
            for (Object[] r : rows) {
                com.fasterxml.jackson.databind.JsonNode o = (com.fasterxml.jackson.databind.JsonNode) r[1];
                g.writeStartArray();
                g.writeString((String) r[0]);
                for (String c : columns) {
                    com.fasterxml.jackson.databind.JsonNode v = o.get(c);
                    String text = dev.nightshift.pipeline.store.FieldOrder.cell(v);
                    g.writeString(text.length() <= TEXT_LIMIT ? text : text.substring(0, TEXT_LIMIT) + "…");
                }
                g.writeEndArray();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("flagged");
            for (Object[] r : rows) {
                g.writeStartArray();
                for (Object f : (java.util.Set<?>) r[2]) g.writeString((String) f);
                g.writeEndArray();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void row(JsonGenerator g, ReportRow r) throws IOException {
        g.writeStartArray();
        g.writeNumber(r.documentId());
        g.writeString(r.path());
        g.writeString(r.mediaType());
        g.writeString(r.language());
        g.writeString(r.status());
        g.writeString(r.detail());
        g.writeNumber(r.chunks());
        g.writeString(r.task());
        String text = r.text();
        g.writeString(text == null || text.length() <= TEXT_LIMIT ? text : text.substring(0, TEXT_LIMIT) + "…");
        g.writeString(r.model());
        g.writeString(r.prompt());
        g.writeString(r.finish());
        g.writeBoolean(r.cutShort());
        g.writeNumber(r.runId());
        // The final output's check: how many sentences its source does not support, and those sentences
        // with what was not found (null when it was not checked: extractive summaries, copies).
        if (r.grounding() == null) {
            g.writeNull();
            g.writeNull();
        } else {
            g.writeNumber(r.grounding().unsupported());
            g.writeStartArray();
            for (SentenceCheck s : r.grounding().sentences()) {
                if (s.supported()) continue;
                g.writeStartArray();
                String sentence = s.sentence();
                g.writeString(sentence.length() <= TEXT_LIMIT ? sentence : sentence.substring(0, TEXT_LIMIT) + "…");
                g.writeString(String.join(", ", s.flags()));
                g.writeEndArray();
            }
            g.writeEndArray();
        }
        g.writeEndArray();
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = HtmlReport.class.getResourceAsStream(name)) {
            if (in == null) throw new IOException("missing resource " + name);
            String s = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            // A script that contains "</script" would end its own element early.
            return s.replace("</script", "<\\/script");
        }
    }

    /** Escapes {@code < > &} in JSON strings as {@code \\uXXXX}. */
    private static final class HtmlSafeEscapes extends com.fasterxml.jackson.core.io.CharacterEscapes {
        private final int[] escapes;

        HtmlSafeEscapes() {
            escapes = standardAsciiEscapesForJSON();
            escapes['<'] = ESCAPE_STANDARD;
            escapes['>'] = ESCAPE_STANDARD;
            escapes['&'] = ESCAPE_STANDARD;
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return escapes;
        }

        @Override
        public com.fasterxml.jackson.core.SerializableString getEscapeSequence(int ch) {
            // U+2028 and U+2029 end a line in older JavaScript; escape them too.
            if (ch == 0x2028) return new com.fasterxml.jackson.core.io.SerializedString("\\u2028");
            if (ch == 0x2029) return new com.fasterxml.jackson.core.io.SerializedString("\\u2029");
            return null;
        }
    }

    /** Lets the generator finish without closing the writer the HTML goes on in. */
    private static final class NonClosing extends java.io.FilterWriter {
        NonClosing(Writer w) {
            super(w);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
