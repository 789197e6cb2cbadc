package dev.nightshift.pipeline.llm.hub;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.nightshift.pipeline.core.Hashing;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * A local stand-in for the Hugging Face hub, on 127.0.0.1 only: serves one folder as repository
 * {@code REPO} the way the hub does (the tree API with LFS SHA-256s for .onnx files and tokenizer.json,
 * git blob ids for the rest; {@code resolve/main/PATH} with HTTP Range support).
 */
public final class FakeHub implements AutoCloseable {
    public static final String REPO = "test-owner/tiny-model-ONNX";

    private final HttpServer server;
    private final Path folder;
    /** Bytes of file content served, to check that a resumed download fetched only the rest. */
    public final AtomicLong bytesServed = new AtomicLong();
    /** When set, this file is served with its last byte flipped. */
    public volatile String corrupt;

    public FakeHub(Path folder) throws IOException {
        this.folder = folder;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        try (ex) {
            if (path.equals("/api/models/" + REPO + "/tree/main")) {
                byte[] body = tree().getBytes(StandardCharsets.UTF_8);
                ex.sendResponseHeaders(200, body.length);
                ex.getResponseBody().write(body);
            } else if (path.startsWith("/" + REPO + "/resolve/main/")) {
                Path file = folder.resolve(path.substring(("/" + REPO + "/resolve/main/").length())).normalize();
                if (!file.startsWith(folder) || !Files.isRegularFile(file)) {
                    ex.sendResponseHeaders(404, -1);
                    return;
                }
                byte[] bytes = Files.readAllBytes(file);
                if (folder.relativize(file).toString().equals(corrupt)) bytes[bytes.length - 1] ^= 1;
                long from = 0;
                String range = ex.getRequestHeaders().getFirst("Range");
                if (range != null && range.startsWith("bytes=")) from = Long.parseLong(range.substring(6, range.indexOf('-')));
                ex.getResponseHeaders().add("Content-Range", "bytes " + from + "-" + (bytes.length - 1) + "/" + bytes.length);
                ex.sendResponseHeaders(from > 0 ? 206 : 200, bytes.length - from);
                OutputStream out = ex.getResponseBody();
                out.write(bytes, (int) from, (int) (bytes.length - from));
                bytesServed.addAndGet(bytes.length - from);
            } else {
                ex.sendResponseHeaders(404, -1);
            }
        }
    }

    private String tree() throws IOException {
        ObjectMapper json = new ObjectMapper();
        ArrayNode list = json.createArrayNode();
        List<Path> files;
        try (Stream<Path> s = Files.walk(folder)) {
            files = s.filter(Files::isRegularFile).sorted().toList();
        }
        for (Path f : files) {
            String rel = folder.relativize(f).toString();
            ObjectNode node = list.addObject().put("type", "file").put("path", rel).put("size", Files.size(f))
                    .put("oid", HubClient.gitBlobId(f));
            if (rel.endsWith(".onnx") || rel.equals("tokenizer.json")) {
                node.putObject("lfs").put("oid", Hashing.sha256(f)).put("size", Files.size(f)).put("pointerSize", 134);
            }
        }
        return json.writeValueAsString(list);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
