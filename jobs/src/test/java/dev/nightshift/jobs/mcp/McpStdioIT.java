package dev.nightshift.jobs.mcp;

import dev.nightshift.jobs.Cli;
import dev.nightshift.jobs.run.SummarizeCommandTest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nightshift.pipeline.store.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code nightshift mcp} fed by hand, as a person piping lines into it does: malformed lines of seven kinds
 * each get a JSON-RPC error and the session goes on; requests sent just before the input closes are all
 * answered before the process exits; over-long arguments and lines are refused without being echoed; and
 * the copies of the database it reads while a run holds it (and those a killed server left) are gone
 * afterwards.
 */
class McpStdioIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void malformedLinesGetErrorsRequestsBeforeTheEndGetAnswersAndNoCopyIsLeft() throws Exception {
        Path db = dir.resolve("db");
        Cli.Result made = Cli.run("summarize", SummarizeCommandTest.SAMPLES.resolve("letters").toString(), "--db", db.toString());
        assertThat(made.exitCode()).as(made.toString()).isZero();
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        // A copy a killed server left behind (no process has that id).
        Path stale = Files.createDirectories(tmp.resolve("snapshot-" + (Integer.MAX_VALUE - 7) + "-123/"));
        Files.writeString(stale.resolve("nightshift.mv.db"), "left by a killed server");

        List<String> lines = new ArrayList<>();
        // A writer holds the database the whole time: every call reads a copy of it.
        try (Store writer = Store.open(db, Clock.systemUTC())) {
            Process p = new ProcessBuilder(McpIT.java(), "-Xmx512m", "-Djava.io.tmpdir=" + tmp, "-Dnightshift.logdir=" + dir.resolve("logs"),
                    "-jar", McpIT.JAR.toString(), "mcp", "--db", db.toString())
                    .redirectError(dir.resolve("mcp.err").toFile()).start();
            // A server that never exits (as it did after a malformed line) fails the test instead of hanging it.
            Thread watchdog = new Thread(() -> {
                try {
                    if (!p.waitFor(90, TimeUnit.SECONDS)) p.destroyForcibly();
                } catch (InterruptedException ignored) {
                    // the test is over
                }
            });
            watchdog.setDaemon(true);
            watchdog.start();
            try (OutputStream in = p.getOutputStream()) {
                write(in, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\","
                        + "\"capabilities\":{},\"clientInfo\":{\"name\":\"by-hand\",\"version\":\"1\"}}}");
                // Seven kinds of lines that are not requests.
                write(in, "{not json");
                write(in, "");
                write(in, "[]");
                write(in, "\u0000");
                write(in, "\"just a string\"");
                write(in, "{\"foo\":1}");
                write(in, "{\"jsonrpc\":\"2.0\",\"id\":70}");
                write(in, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
                write(in, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}");
                write(in, "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":\"run_status\",\"arguments\":{}}}");
                write(in, "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"tools/call\",\"params\":{\"name\":\"search\",\"arguments\":{\"query\":\""
                        + "heating ".repeat(1_000) + "\"}}}");
                write(in, "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"tools/call\",\"params\":{\"name\":\"search\",\"arguments\":{\"query\":\""
                        + "x".repeat(2 * 1024 * 1024) + "\"}}}");
                write(in, "{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"tools/call\",\"params\":{\"name\":\"search\",\"arguments\":{\"query\":\"heating\"}}}");
            } // the input ends right after the last request
            try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) lines.add(line);
            }
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the server exits once its input has ended").isTrue();
            assertThat(p.exitValue()).isZero();
        }

        List<JsonNode> replies = new ArrayList<>();
        for (String line : lines) replies.add(JSON.readTree(line));
        String all = String.join("\n", lines);
        // Seven malformed lines, seven errors: not JSON (-32700) or not a request (-32600), the id kept where there was one.
        // not JSON: "{not json", the blank line, the NUL byte; not a request: [], a string, {"foo":1}, an id without a method, the 2 MB line
        assertThat(replies.stream().filter(r -> r.path("error").path("code").asInt() == -32700)).hasSize(3);
        assertThat(replies.stream().filter(r -> r.path("error").path("code").asInt() == -32600)).hasSize(5);
        assertThat(replies).anySatisfy(r -> assertThat(r.path("id").asInt()).isEqualTo(70));
        // Every request answered, though the input closed right after them.
        for (int id = 1; id <= 6; id++) {
            int wanted = id;
            assertThat(replies).as("an answer to request " + id).anySatisfy(r -> {
                if (wanted == 5) {
                    assertThat(r.path("error").path("message").asText()).contains("over");
                } else {
                    assertThat(r.path("id").asInt()).isEqualTo(wanted);
                }
            });
        }
        JsonNode tooLong = replies.stream().filter(r -> r.path("id").asInt() == 4).findFirst().orElseThrow();
        assertThat(tooLong.path("result").path("isError").asBoolean()).isTrue();
        assertThat(tooLong.path("result").toString()).contains("at most").doesNotContain("heating heating heating");
        JsonNode found = replies.stream().filter(r -> r.path("id").asInt() == 6).findFirst().orElseThrow();
        assertThat(found.path("result").path("isError").asBoolean()).isFalse();
        assertThat(all.length()).as("nothing echoes the 2 MB query").isLessThan(200_000);
        // No copy of the database is left, neither this server's nor the one a killed server left.
        try (var left = Files.list(tmp)) {
            assertThat(left.map(f -> f.getFileName().toString()).filter(n -> n.startsWith("snapshot"))).isEmpty();
        }
    }

    private static void write(OutputStream in, String line) throws Exception {
        in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
    }
}
