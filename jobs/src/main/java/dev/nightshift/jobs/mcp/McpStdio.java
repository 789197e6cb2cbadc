package dev.nightshift.jobs.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The MCP server's standard input and output, between the process's streams and the SDK's transport.
 *
 * <p>Why: the SDK's stdio transport ends the session at the first line it cannot read (a line that is not
 * JSON, a blank line, {@code []}, a NUL byte): no reply, and no reply to anything after, and it then never
 * sees the end of its input, so the process did not exit. And when the input closed right after a few
 * requests (a person piping them in), the server closed before answering them.
 *
 * <p>What it does: a thread reads the input line by line. A line that is not a JSON-RPC message gets the
 * JSON-RPC error itself, written here ({@code -32700} not JSON, {@code -32600} not a request: an array, a
 * message without {@code jsonrpc: "2.0"} and a method, a line over {@link #MAX_LINE} bytes), and the session
 * goes on; every other line goes to the SDK. Requests the SDK was given are counted, and answers it writes
 * are counted off; when the input ends, the SDK's input is ended only once every request has its answer.
 * Lines out are written whole, one at a time, whoever writes them.
 */
final class McpStdio {
    /** Longest line read as a message: far above any real request (a tool call with a question or a query). */
    static final int MAX_LINE = 1 << 20;
    /** Longest the end of the input waits for answers still being worked on (an ask with a model). */
    private static final long DRAIN_SECONDS = 600;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final InputStream in;
    private final OutputStream out;
    private final PipedOutputStream toSdk = new PipedOutputStream();
    private final PipedInputStream sdkInput;
    private final Object writing = new Object();
    private int unanswered;
    private boolean ended;

    McpStdio(InputStream in, OutputStream out) throws IOException {
        this.in = in;
        this.out = out;
        this.sdkInput = new PipedInputStream(toSdk, 1 << 16);
    }

    /** What the SDK's transport reads. */
    InputStream sdkInput() {
        return sdkInput;
    }

    /** What the SDK's transport writes: whole lines reach the output one at a time, and answers are counted. */
    OutputStream sdkOutput() {
        return new OutputStream() {
            private final ByteArrayOutputStream line = new ByteArrayOutputStream();

            @Override
            public void write(int b) throws IOException {
                line.write(b);
                if (b == '\n') emit();
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                for (int i = off; i < off + len; i++) write(b[i]);
            }

            private void emit() throws IOException {
                byte[] bytes = line.toByteArray();
                line.reset();
                writeLine(bytes);
                if (isAnswer(bytes)) answered();
            }
        };
    }

    /** Starts reading the input; {@link #awaitEnd} returns once it has ended and every request is answered. */
    void start() {
        Thread reader = new Thread(this::read, "mcp-stdin");
        reader.setDaemon(true);
        reader.start();
    }

    /** Waits until the input has ended and the requests it held are answered (or the drain time is up). */
    synchronized void awaitEnd() throws InterruptedException {
        while (!ended) wait();
    }

    /**
     * After the input's end: waits for the answers still owed, then ends the SDK's input. On the reading
     * thread, which must outlive the pipe's writing end (a pipe whose writer thread has died reads as broken).
     */
    private void drain() throws InterruptedException {
        synchronized (this) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DRAIN_SECONDS);
            while (unanswered > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) break;
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }
        try {
            toSdk.close(); // the SDK sees the end of its input
        } catch (IOException ignored) {
            // it has stopped reading already
        }
    }

    private void read() {
        try {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            boolean tooLong = false;
            for (int b = in.read(); b >= 0; b = in.read()) {
                if (b != '\n') {
                    if (line.size() < MAX_LINE) line.write(b);
                    else tooLong = true;
                    continue;
                }
                handle(line.toByteArray(), tooLong);
                line.reset();
                tooLong = false;
            }
            if (line.size() > 0 || tooLong) handle(line.toByteArray(), tooLong);
        } catch (IOException e) {
            // the input is gone: as good as its end
        } finally {
            try {
                drain();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            synchronized (this) {
                ended = true;
                notifyAll();
            }
        }
    }

    private void handle(byte[] bytes, boolean tooLong) throws IOException {
        if (tooLong) {
            reply(null, -32600, "Invalid Request: the line is over " + MAX_LINE + " bytes");
            return;
        }
        String text = new String(bytes, StandardCharsets.UTF_8).strip();
        JsonNode message;
        try {
            message = text.isEmpty() ? null : JSON.readTree(text);
        } catch (IOException e) {
            message = null;
        }
        if (message == null || message.isMissingNode()) {
            reply(null, -32700, "Parse error: the line is not JSON");
            return;
        }
        JsonNode id = message.get("id");
        boolean request = message.isObject() && "2.0".equals(message.path("jsonrpc").asText(null)) && message.path("method").isTextual();
        boolean response = message.isObject() && "2.0".equals(message.path("jsonrpc").asText(null)) && id != null
                && (message.has("result") || message.has("error"));
        if (!request && !response) {
            reply(message.isObject() && id != null && (id.isTextual() || id.isNumber()) ? id : null, -32600,
                    "Invalid Request: expected a JSON-RPC 2.0 object with a method");
            return;
        }
        if (request && id != null && !id.isNull()) {
            synchronized (this) {
                unanswered++;
            }
        }
        try {
            toSdk.write((text + "\n").getBytes(StandardCharsets.UTF_8));
            toSdk.flush();
        } catch (IOException e) {
            // The SDK stopped reading: say so to this request rather than leave it unanswered.
            if (request && id != null && !id.isNull()) {
                answered();
                reply(id, -32603, "Internal error: the server is shutting down");
            }
        }
    }

    private void reply(JsonNode id, int code, String message) throws IOException {
        ObjectNode error = JSON.createObjectNode();
        error.put("jsonrpc", "2.0");
        error.set("id", id == null ? JSON.nullNode() : id);
        ObjectNode body = error.putObject("error");
        body.put("code", code);
        body.put("message", message);
        writeLine((JSON.writeValueAsString(error) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private void writeLine(byte[] bytes) throws IOException {
        synchronized (writing) {
            out.write(bytes);
            out.flush();
        }
    }

    private synchronized void answered() {
        if (unanswered > 0) unanswered--;
        notifyAll();
    }

    /** True for a line holding a JSON-RPC answer (result or error with an id). */
    private static boolean isAnswer(byte[] line) {
        try {
            JsonNode m = JSON.readTree(line);
            return m != null && m.isObject() && m.has("id") && !m.get("id").isNull() && (m.has("result") || m.has("error"));
        } catch (IOException e) {
            return false;
        }
    }
}
