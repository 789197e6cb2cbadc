package dev.nightshift.jobs.mcp;

import dev.nightshift.jobs.cli.DataLayout;
import dev.nightshift.jobs.read.AnswerJson;
import dev.nightshift.jobs.read.LineageJson;
import dev.nightshift.jobs.read.StatusJson;

import dev.nightshift.pipeline.store.IndexFeed;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nightshift.connectors.search.IndexRetriever;
import dev.nightshift.connectors.search.LuceneIndex;
import dev.nightshift.connectors.search.SearchHit;
import dev.nightshift.pipeline.answer.Answer;
import dev.nightshift.pipeline.answer.Answerer;
import dev.nightshift.pipeline.llm.DirectGenerator;
import dev.nightshift.pipeline.llm.GemmaEngine;
import dev.nightshift.pipeline.store.FailureRecord;
import dev.nightshift.pipeline.store.FieldRows;
import dev.nightshift.pipeline.store.Lineage;
import dev.nightshift.pipeline.store.LineageQueries;
import dev.nightshift.pipeline.store.StatusQueries;
import dev.nightshift.pipeline.store.TextQueries;
import dev.nightshift.pipeline.store.Store;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The tools of {@code nightshift mcp}. Each call opens the database for reading only ({@link Store#openReadOnly}:
 * a copy while a run holds it) and closes it when it returns, so a run can start between calls. Bad
 * arguments and missing things are tool errors ({@code isError}) with a reason, never a crash; nothing is
 * read from disk but the database and its search index.
 */
final class McpTools implements AutoCloseable {
    /** Most characters get_text returns at once: an agent pages through longer texts. */
    static final int MAX_TEXT = 20_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path base;
    private final GemmaEngine engine;
    /** Built from the database when the index on disk is missing or behind (this server writes nothing). */
    private LuceneIndex memory;
    private IndexFeed.Mark memoryMark;

    McpTools(Path base, GemmaEngine engine) {
        this.base = base;
        this.engine = engine;
    }

    /** A failure to report to the client as a tool error. */
    static final class ToolError extends RuntimeException {
        ToolError(String message) {
            super(message);
        }
    }

    List<SyncToolSpecification> specifications() {
        List<SyncToolSpecification> tools = new ArrayList<>();
        tools.add(tool("search", "Search the archive (BM25 over chunks of extracted text and over summaries, translations and "
                        + "picture descriptions). Query syntax: words, \"a phrase\", prefix*, path:, type:, lang:, kind:chunk|output, "
                        + "task:, AND/OR/NOT. Each result gives the path, document_id, and for a chunk its character span [start, end) "
                        + "in the extraction (pass it to get_text).",
                schema(Map.of("query", prop("string", "What to look for."),
                        "limit", intProp("Most results (1-50, default 10).", 1, 50)), List.of("query")),
                this::search));
        tools.add(tool("get_document", "A document as stored: path, type, language, its extractions with status, its final summary "
                        + "or translation with provenance, the check of every sentence against the source, the character spans of the "
                        + "chunks it was made from, the pictures inside it with their descriptions, and the documents inside it.",
                schema(Map.of("document", prop("string", "A document id, a path as stored (or its end, e.g. a file name), or a SHA-256 prefix.")),
                        List.of("document")),
                this::getDocument));
        tools.add(tool("get_text", "Stored extracted text, [start, end) in characters of a document's latest extraction (or of an "
                        + "extraction by id), at most " + MAX_TEXT + " characters. Only the archive is read, never a file on disk.",
                schema(Map.of("document", prop("string", "A document id, or a path as stored (or its end)."),
                        "extraction_id", intProp("An extraction id (instead of document).", 1, Integer.MAX_VALUE),
                        "start", intProp("First character (0-based).", 0, Integer.MAX_VALUE),
                        "end", intProp("One past the last character.", 0, Integer.MAX_VALUE)), List.of("start", "end")),
                this::getText));
        tools.add(tool("get_fields", "The fields nightshift extract read from a document with a JSON schema: the document's object, "
                        + "and every value with its evidence: found (with its character span [start, end) in the extraction and the text "
                        + "there: pass them to get_text for context) or not_in_source (the text does not write it: possibly made up).",
                schema(Map.of("document", prop("string", "A document id, a path as stored (or its end, e.g. a file name), or a SHA-256 prefix."),
                        "schema", prop("string", "Only the fields of this schema (its file's name, e.g. invoice).")), List.of("document")),
                this::getFields));
        tools.add(tool("list_failures", "Documents that could not be read or processed, each with its status and reason "
                        + "(PARSE_ERROR, ENCRYPTED, EMPTY, UNSUPPORTED, TIMEOUT, ...).",
                schema(Map.of("reason", prop("string", "Only this status, e.g. ENCRYPTED."),
                        "limit", intProp("Most failures (1-1000, default 100).", 1, 1000)), List.of()),
                this::listFailures));
        tools.add(tool("run_status", "What the archive holds (files, documents, extracted, images, failed, outputs), the last run, "
                        + "and the progress of a run going on now.",
                schema(Map.of(), List.of()), this::runStatus));
        if (engine != null) {
            tools.add(tool("ask", "Answer a question from the archive: the best chunks go to the local model, which answers only "
                            + "from them and cites them as [1], [2]; each sentence is checked against the chunks it cites. Returns the "
                            + "answer, its sources (paths, spans) and the check. Not stored (this server is read-only).",
                    schema(Map.of("question", prop("string", "The question, in words."),
                            "limit", intProp("Most chunks given to the model (1-20, default 6).", 1, 20)), List.of("question")),
                    this::ask));
        }
        return tools;
    }

    // ---- the tools ----

    private Object search(Map<String, Object> args) {
        String query = string(args, "query", true);
        int limit = integer(args, "limit", 10, 1, 50);
        return read(store -> {
            List<SearchHit> hits;
            try {
                hits = index(new IndexFeed(store)).search(query, limit);
            } catch (IllegalArgumentException e) {
                throw new ToolError(e.getMessage());
            }
            List<Map<String, Object>> rows = new ArrayList<>();
            for (SearchHit h : hits) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("path", h.path());
                row.put("document_id", h.documentId());
                row.put("kind", h.kind());
                if ("chunk".equals(h.kind())) {
                    row.put("seq", h.seq());
                    row.put("start", h.start());
                    row.put("end", h.end());
                } else {
                    row.put("task", h.task());
                }
                row.put("score", h.score());
                row.put("snippet", h.snippet());
                row.put("media_type", h.mediaType());
                row.put("language", h.language());
                rows.add(row);
            }
            return Map.of("query", query, "results", rows);
        });
    }

    private Object getDocument(Map<String, Object> args) {
        String key = string(args, "document", true);
        return read(store -> {
            List<Lineage.Document> trees = new LineageQueries(store).lineage(key);
            if (trees.isEmpty()) throw new ToolError("no document in the archive matches " + quote(key));
            List<Map<String, Object>> docs = new ArrayList<>();
            for (Lineage.Document d : trees.subList(Math.max(0, trees.size() - 5), trees.size())) docs.add(LineageJson.document(d, 1));
            return Map.of("documents", docs, "matches", trees.size());
        });
    }

    private Object getFields(Map<String, Object> args) {
        String key = string(args, "document", true);
        String schema = string(args, "schema", false);
        return read(store -> {
            List<Lineage.Document> trees = new LineageQueries(store).lineage(key);
            if (trees.isEmpty()) throw new ToolError("no document in the archive matches " + quote(key));
            FieldRows rows = new FieldRows(store);
            List<Map<String, Object>> docs = new ArrayList<>();
            for (Lineage.Document d : trees.subList(Math.max(0, trees.size() - 5), trees.size())) {
                rows.documents(schema == null ? null : "extract:" + schema, d.info().locator(), f -> {
                    Map<String, Object> doc = new LinkedHashMap<>();
                    doc.put("path", f.locator());
                    doc.put("document_id", d.info().id());
                    doc.put("schema", f.task().substring("extract:".length()));
                    try {
                        doc.put("fields", JSON.readValue(f.object(), Object.class));
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                    List<Map<String, Object>> values = new ArrayList<>();
                    for (FieldRows.Value v : f.values()) {
                        Map<String, Object> value = new LinkedHashMap<>();
                        value.put("path", v.path());
                        value.put("value", v.json());
                        value.put("type", v.type());
                        value.put("evidence", v.evidence());
                        if (v.start() >= 0) {
                            value.put("start", v.start());
                            value.put("end", v.end());
                            value.put("text", v.quote());
                        }
                        values.add(value);
                    }
                    doc.put("values", values);
                    docs.add(doc);
                });
            }
            if (docs.isEmpty()) throw new ToolError("no fields were extracted from " + quote(key) + (schema == null ? "" : " with the schema " + quote(schema)));
            return Map.of("documents", docs);
        });
    }

    private Object getText(Map<String, Object> args) {
        String document = string(args, "document", false);
        long extraction = integer(args, "extraction_id", 0, 1, Integer.MAX_VALUE);
        int start = integer(args, "start", -1, 0, Integer.MAX_VALUE);
        int end = integer(args, "end", -1, 0, Integer.MAX_VALUE);
        if (document == null && extraction == 0) throw new ToolError("give document (an id or a stored path) or extraction_id");
        if (end <= start) throw new ToolError("end must be greater than start");
        int until = Math.min(end, start + MAX_TEXT);
        return read(store -> {
            var span = new TextQueries(store).text(document == null ? "" : document, extraction, start, until)
                    .orElseThrow(() -> new ToolError(extraction > 0 ? "no extraction " + extraction + " in the archive"
                            : "no document with text in the archive matches " + quote(document) + " (only stored documents are served, never files on disk)"));
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("path", span.path());
            m.put("document_id", span.documentId());
            m.put("extraction_id", span.extractionId());
            m.put("start", span.start());
            m.put("end", span.end());
            m.put("length", span.length());
            m.put("truncated", until < end && span.end() < span.length());
            m.put("text", span.text());
            return m;
        });
    }

    private Object listFailures(Map<String, Object> args) {
        String reason = string(args, "reason", false);
        int limit = integer(args, "limit", 100, 1, 1000);
        return read(store -> {
            List<FailureRecord> all = new StatusQueries(store).failures(reason == null ? null : reason.strip());
            List<Map<String, Object>> rows = new ArrayList<>();
            for (FailureRecord f : all.subList(0, Math.min(limit, all.size()))) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("path", f.locator());
                row.put("status", f.status());
                row.put("reason", f.reason());
                row.put("run_id", f.runId());
                rows.add(row);
            }
            return Map.of("total", all.size(), "failures", rows);
        });
    }

    private Object runStatus(Map<String, Object> args) {
        return read(store -> StatusJson.json(base, new StatusQueries(store).status(), StatusJson.runInProgress(base)));
    }

    private Object ask(Map<String, Object> args) {
        String question = string(args, "question", true);
        int limit = integer(args, "limit", 6, 1, 20);
        return read(store -> {
            Answerer answerer = new Answerer(engine, new DirectGenerator(engine, 1), 2048, 256);
            try {
                Answer a = answerer.ask(question, new IndexRetriever(index(new IndexFeed(store)), new TextQueries(store)).retrieve(question, limit));
                return AnswerJson.json(a, null);
            } catch (IllegalArgumentException e) {
                throw new ToolError(e.getMessage());
            }
        });
    }

    // ---- plumbing ----

    private interface Handler {
        Object call(Map<String, Object> args);
    }

    private SyncToolSpecification tool(String name, String description, Map<String, Object> schema, Handler handler) {
        McpSchema.Tool tool = McpSchema.Tool.builder(name, schema).description(description)
                .annotations(new McpSchema.ToolAnnotations(null, true, false, true, false, null)).build();
        return SyncToolSpecification.builder().tool(tool).callHandler((exchange, request) -> {
            try {
                Object result = handler.call(request.arguments() == null ? Map.of() : request.arguments());
                return CallToolResult.builder().addTextContent(JSON.writeValueAsString(result)).structuredContent(result).isError(false).build();
            } catch (ToolError e) {
                return error(e.getMessage());
            } catch (Exception e) {
                // Anything else is this server's fault, said plainly; the server goes on serving.
                return error(name + " failed: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
            }
        }).build();
    }

    private static CallToolResult error(String message) {
        return CallToolResult.builder().addTextContent(message).isError(true).build();
    }

    private <T> T read(Function<Store, T> question) {
        if (!Files.isRegularFile(Path.of(base + ".mv.db"))) throw new ToolError("the database " + base + ".mv.db is gone");
        try (Store store = Store.openReadOnly(base, DataLayout.temp(), Clock.systemUTC())) {
            return question.apply(store);
        }
    }

    /**
     * The index to search: the one on disk when it holds what the database holds, or while a run keeps it
     * current; else one built in memory from the database (kept until the database changes).
     */
    private synchronized LuceneIndex index(IndexFeed feed) {
        Path folder = LuceneIndex.folderOf(base);
        IndexFeed.Mark mark = feed.mark();
        if (Files.isDirectory(folder)) {
            LuceneIndex disk = LuceneIndex.open(folder);
            if (disk.indexedMark().equals(mark) || StatusJson.runInProgress(base) != null) return closeLater(disk);
            disk.close();
        }
        if (memory == null || !mark.equals(memoryMark)) {
            if (memory != null) memory.close();
            memory = LuceneIndex.inMemory();
            memory.rebuild(feed);
            memoryMark = mark;
        }
        return memory;
    }

    private LuceneIndex lastDisk;

    /** The index on disk is opened per call; the previous one is closed when the next is opened. */
    private LuceneIndex closeLater(LuceneIndex disk) {
        if (lastDisk != null) lastDisk.close();
        lastDisk = disk;
        return disk;
    }

    @Override
    public synchronized void close() {
        if (memory != null) memory.close();
        if (lastDisk != null) lastDisk.close();
    }

    private static Map<String, Object> schema(Map<String, Object> properties, List<String> required) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("type", "object");
        s.put("properties", properties);
        s.put("required", required);
        s.put("additionalProperties", false);
        return s;
    }

    private static Map<String, Object> prop(String type, String description) {
        return Map.of("type", type, "description", description);
    }

    private static Map<String, Object> intProp(String description, int min, int max) {
        return Map.of("type", "integer", "description", description, "minimum", min, "maximum", max);
    }

    /** Arguments are checked here too: a client may skip the schema. */
    /** Longest string argument taken: a question, a path or a query; a longer one is refused before any work. */
    static final int MAX_ARGUMENT = 4_000;

    private static String string(Map<String, Object> args, String name, boolean required) {
        Object v = args.get(name);
        if (v == null) {
            if (required) throw new ToolError("missing argument: " + name);
            return null;
        }
        if (!(v instanceof String s)) throw new ToolError(name + " must be a string");
        if (required && s.isBlank()) throw new ToolError(name + " is empty");
        if (s.length() > MAX_ARGUMENT) {
            throw new ToolError(String.format(java.util.Locale.ROOT, "%s is %,d characters long; at most %,d", name, s.length(), MAX_ARGUMENT));
        }
        return s;
    }

    private static int integer(Map<String, Object> args, String name, int fallback, int min, int max) {
        Object v = args.get(name);
        if (v == null) {
            if (fallback < 0) throw new ToolError("missing argument: " + name);
            return fallback;
        }
        if (!(v instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) throw new ToolError(name + " must be a whole number");
        if (n.longValue() < min || n.longValue() > max) throw new ToolError(name + " must be between " + min + " and " + max);
        return n.intValue();
    }

    private static String quote(String s) {
        String one = s.replaceAll("\\p{Cntrl}", " ");
        return "\"" + (one.length() > 200 ? one.substring(0, 200) + "…" : one) + "\"";
    }
}
