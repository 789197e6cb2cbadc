package dev.nightshift.jobs.mcp;

import dev.nightshift.jobs.CorpusIT;
import dev.nightshift.jobs.model.ModelCommandTest;
import dev.nightshift.jobs.run.SummarizeCommandTest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nightshift.pipeline.store.Store;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code nightshift mcp} driven by the official MCP TypeScript SDK client (npm {@code @modelcontextprotocol/sdk},
 * run with node) over stdio, on a database of ../shared/corpus (the samples where the corpus is absent):
 * the tools are listed and each is called, with good and bad arguments, and again while a writer holds the
 * database. The SDK comes from {@code $MCP_CLIENT_DIR} (.ci/run installs it there) or is installed into
 * target/mcp-client with npm; without node and npm the test says it skipped.
 */
class McpIT {
    static final Path JAR = Path.of("target", "nightshift.jar").toAbsolutePath();
    static final String SDK = "@modelcontextprotocol/sdk@1.32";

    @TempDir
    static Path dir;
    static Path client;
    static Path db;
    static boolean corpus;

    @BeforeAll
    static void setUp() throws Exception {
        client = clientFolder();
        assumeTrue(client != null, "McpIT SKIPPED: node and npm are needed to run the MCP TypeScript SDK client");
        Files.copy(Path.of("src/test/resources/mcp/client.mjs"), client.resolve("client.mjs"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        corpus = Files.isDirectory(CorpusIT.CORPUS);
        if (!corpus) System.err.println("McpIT: no corpus at " + CorpusIT.CORPUS + "; the samples stand in for it");
        db = dir.resolve("db");
        Path input = corpus ? CorpusIT.CORPUS : SummarizeCommandTest.SAMPLES;
        Process p = new ProcessBuilder(java(), "-Xmx1g", "-Dnightshift.logdir=" + dir.resolve("logs"), "-jar", JAR.toString(),
                "summarize", input.toString(), "--db", db.toString(), "--timeout", "20")
                .redirectOutput(dir.resolve("summarize.txt").toFile()).redirectErrorStream(true).start();
        assertThat(p.waitFor(15, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as(Files.readString(dir.resolve("summarize.txt"))).isIn(0, 3);
        // The sample invoices' fields, for get_fields.
        Process x = new ProcessBuilder(java(), "-Xmx1g", "-Dnightshift.logdir=" + dir.resolve("logs"), "-jar", JAR.toString(),
                "extract", SummarizeCommandTest.SAMPLES.resolve("invoices").toString(), "--schema",
                SummarizeCommandTest.SAMPLES.resolve("schemas/invoice.json").toString(), "--model", ModelCommandTest.GEMMA3.toString(),
                "--db", db.toString())
                .redirectOutput(dir.resolve("extract.txt").toFile()).redirectErrorStream(true).start();
        assertThat(x.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(x.exitValue()).as(Files.readString(dir.resolve("extract.txt"))).isZero();
    }

    /** Where node resolves the SDK from: $MCP_CLIENT_DIR, or target/mcp-client after an npm install; null without node. */
    static Path clientFolder() throws Exception {
        String given = System.getenv("MCP_CLIENT_DIR");
        if (given != null && Files.isDirectory(Path.of(given, "node_modules", "@modelcontextprotocol", "sdk"))) return Path.of(given);
        if (!onPath("node") || !onPath("npm")) return null;
        Path folder = Path.of("target", "mcp-client").toAbsolutePath();
        if (!Files.isDirectory(folder.resolve("node_modules/@modelcontextprotocol/sdk"))) {
            Files.createDirectories(folder);
            Files.writeString(folder.resolve("package.json"), "{\"name\":\"nightshift-mcp-it\",\"private\":true,\"type\":\"module\"}");
            Process npm = new ProcessBuilder("npm", "install", "--no-audit", "--no-fund", "--silent", SDK).directory(folder.toFile())
                    .redirectErrorStream(true).redirectOutput(folder.resolve("npm.log").toFile()).start();
            if (!npm.waitFor(5, TimeUnit.MINUTES) || npm.exitValue() != 0) {
                throw new AssertionError("npm install " + SDK + " failed: " + Files.readString(folder.resolve("npm.log")));
            }
        }
        return folder;
    }

    private static boolean onPath(String program) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, program))) return true;
        }
        return false;
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static Map<String, Object> call(String name, Map<String, Object> arguments) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("name", name);
        c.put("arguments", arguments);
        return c;
    }

    /** Runs the client against a fresh server; returns what it printed. */
    private static JsonNode drive(List<String> serverArgs, List<Map<String, Object>> calls) throws Exception {
        List<String> args = new ArrayList<>(List.of("-Xmx1g", "-Dnightshift.logdir=" + dir.resolve("logs"),
                "-Djava.io.tmpdir=" + dir, "-jar", JAR.toString(), "mcp", "--db", db.toString()));
        args.addAll(serverArgs);
        Map<String, Object> plan = Map.of("command", java(), "args", args, "calls", calls);
        Path out = dir.resolve("client-out.json"), err = dir.resolve("client-err.txt");
        Process node = new ProcessBuilder("node", "client.mjs", new ObjectMapper().writeValueAsString(plan)).directory(client.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(node.waitFor(5, TimeUnit.MINUTES)).as("the client and server finished").isTrue();
        String printed = Files.readString(out, StandardCharsets.UTF_8);
        assertThat(node.exitValue()).as(printed + Files.readString(err)).isZero();
        return new ObjectMapper().readTree(printed);
    }

    private static JsonNode result(JsonNode out, int i) {
        return out.get("calls").get(i);
    }

    @Test
    void everyToolAnswersWithPathsAndSpansAndBadCallsAreErrorsNotCrashes() throws Exception {
        String document = corpus ? "testPDF.pdf" : "heating-bill-correction.txt";
        String words = corpus ? "Apache Tika" : "heating meter";
        List<Map<String, Object>> calls = List.of(
                call("search", Map.of("query", words, "limit", 5)),
                call("get_document", Map.of("document", document)),
                call("get_text", Map.of("document", document, "start", 0, "end", 120)),
                call("list_failures", Map.of("limit", 5)),
                call("run_status", Map.of()),
                call("ask", Map.of("question", "What is " + words + "?", "limit", 3)),
                // Bad calls: each must come back as an error, and the server must go on answering.
                call("get_document", Map.of()),
                call("get_text", Map.of("document", "/etc/passwd", "start", 0, "end", 100)),
                call("get_text", Map.of("document", document, "start", 50, "end", 10)),
                call("search", Map.of("query", "(unbalanced")),
                call("search", Map.of("query", words, "limit", "many")),
                call("no_such_tool", Map.of()),
                call("get_document", Map.of("document", "no-such-document-anywhere.xyz")),
                call("run_status", Map.of()),
                call("get_fields", Map.of("document", "harbour-crane-hire-2024-117.txt")),
                call("get_fields", Map.of("document", "harbour-crane-hire-2024-117.txt", "schema", "letter")));
        JsonNode out = drive(List.of("--model", ModelCommandTest.GEMMA3.toString()), calls);

        assertThat(out.get("server").get("name").asText()).isEqualTo("nightshift");
        List<String> names = new ArrayList<>();
        out.get("tools").forEach(t -> names.add(t.get("name").asText()));
        assertThat(names).containsExactlyInAnyOrder("search", "get_document", "get_text", "get_fields", "list_failures", "run_status", "ask");
        out.get("tools").forEach(t -> assertThat(t.get("readOnly").asBoolean()).as(t.toString()).isTrue());

        JsonNode search = result(out, 0).get("structured");
        assertThat(result(out, 0).get("isError").asBoolean()).as(result(out, 0).toString()).isFalse();
        assertThat(search.get("results").size()).isPositive();
        search.get("results").forEach(h -> assertThat(h.get("path").asText()).startsWith("/"));
        JsonNode chunk = null;
        for (JsonNode h : search.get("results")) if (h.get("kind").asText().equals("chunk")) chunk = h;
        assertThat(chunk).as("a chunk among the results").isNotNull();
        assertThat(chunk.get("end").asInt()).isGreaterThan(chunk.get("start").asInt());

        JsonNode doc = result(out, 1).get("structured").get("documents").get(0);
        assertThat(doc.get("path").asText()).endsWith(document);
        JsonNode summary = doc.get("extractions").get(0).get("outputs").get(0);
        assertThat(summary.get("text").asText()).isNotBlank();
        assertThat(summary.get("chunks").get(0).get("end").asInt()).isPositive();

        JsonNode text = result(out, 2).get("structured");
        assertThat(text.get("path").asText()).endsWith(document);
        assertThat(text.get("start").asInt()).isZero();
        assertThat(text.get("text").asText()).hasSizeBetween(1, 120);

        JsonNode failures = result(out, 3).get("structured");
        if (corpus) assertThat(failures.get("total").asInt()).isGreaterThan(50);
        assertThat(failures.get("failures").size()).isLessThanOrEqualTo(5);
        if (failures.get("failures").size() > 0) assertThat(failures.get("failures").get(0).get("reason").asText()).isNotBlank();

        assertThat(result(out, 4).get("structured").get("documents").asInt()).isPositive();

        JsonNode ask = result(out, 5).get("structured");
        assertThat(result(out, 5).get("isError").asBoolean()).as(result(out, 5).toString()).isFalse();
        if (!ask.get("not_found").asBoolean()) {
            assertThat(ask.get("sources").get(0).get("path").asText()).startsWith("/");
            assertThat(ask.get("grounding").size()).isPositive();
        }
        assertThat(ask.get("output_id").isNull()).as("read-only: answers are not stored").isTrue();

        // Missing arguments, a path that is not in the archive, a bad span, bad query syntax, a string for a number,
        // an unknown tool, an unknown document: errors with reasons, not crashes.
        for (int i = 6; i <= 12; i++) {
            JsonNode r = result(out, i);
            boolean error = r.has("protocolError") || r.get("isError").asBoolean();
            assertThat(error).as(r.toString()).isTrue();
        }
        assertThat(result(out, 7).toString()).contains("in the archive").contains("never files on disk");
        assertThat(result(out, 13).get("isError").asBoolean()).as("still serving after the errors").isFalse();

        // The invoice's fields: the object, and each value with found (a span and its text) or not_in_source.
        assertThat(result(out, 14).get("isError").asBoolean()).as(result(out, 14).toString()).isFalse();
        JsonNode fields = result(out, 14).get("structured").get("documents").get(0);
        assertThat(fields.get("schema").asText()).isEqualTo("invoice");
        assertThat(fields.get("fields").has("supplier")).isTrue();
        assertThat(fields.get("values")).isNotEmpty().allSatisfy(v -> {
            assertThat(v.get("evidence").asText()).isIn("found", "not_in_source", "not_checked");
            if (v.get("evidence").asText().equals("found")) assertThat(v.get("text").asText()).isNotEmpty();
        });
        assertThat(result(out, 15).toString()).contains("no fields were extracted").contains("letter");
    }

    @Test
    void aWriterHoldingTheDatabaseDoesNotStopReading() throws Exception {
        try (Store held = Store.open(db, Clock.systemUTC())) {
            JsonNode out = drive(List.of(), List.of(call("run_status", Map.of()), call("search", Map.of("query", "the"))));
            assertThat(out.get("tools").size()).isEqualTo(6); // no model: no ask
            assertThat(result(out, 0).get("isError").asBoolean()).as(result(out, 0).toString()).isFalse();
            assertThat(result(out, 0).get("structured").get("documents").asInt()).isPositive();
            assertThat(result(out, 1).get("isError").asBoolean()).as(result(out, 1).toString()).isFalse();
        }
    }
}
