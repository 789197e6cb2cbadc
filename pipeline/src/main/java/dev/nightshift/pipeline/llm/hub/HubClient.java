package dev.nightshift.pipeline.llm.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nightshift.pipeline.core.Hashing;
import dev.nightshift.pipeline.llm.model.Dtype;
import dev.nightshift.pipeline.llm.model.ModelException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.function.LongConsumer;

/**
 * Downloads a model folder from the Hugging Face hub: the only network access nightshift ever makes,
 * and only when a user runs {@code nightshift model pull}. Only the files one precision needs are
 * fetched; downloads resume from a {@code .part} file, and every file is checked against the hub's
 * SHA-256 (weights) or git blob id (small files) before it is moved into place.
 */
public final class HubClient {
    /** Files beside the graphs that a model folder needs or may use. */
    static final Set<String> FOLDER_FILES = Set.of("config.json", "generation_config.json", "tokenizer.json",
            "tokenizer_config.json", "chat_template.jinja", "special_tokens_map.json", "preprocessor_config.json");

    private final URI endpoint;
    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper();

    /** @param endpoint {@code https://huggingface.co}, or a mirror */
    public HubClient(URI endpoint) {
        this.endpoint = URI.create(endpoint.toString().replaceAll("/+$", "") + "/");
        this.http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).connectTimeout(Duration.ofSeconds(30)).build();
    }

    /** Every file of {@code repo} at {@code revision}. */
    public List<HubFile> list(String repo, String revision) {
        checkRepo(repo);
        URI uri = endpoint.resolve("api/models/" + repo + "/tree/" + encode(revision) + "?recursive=true");
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString(), uri);
        if (response.statusCode() == 404 || response.statusCode() == 401) {
            throw new ModelException("no model " + repo + " (revision " + revision + ") on " + endpoint
                    + " (HTTP " + response.statusCode() + "); check the name, e.g. onnx-community/gemma-3-270m-it-ONNX");
        }
        if (response.statusCode() != 200) throw new ModelException("the hub answered HTTP " + response.statusCode() + " for " + uri);
        List<HubFile> files = new ArrayList<>();
        try {
            for (JsonNode f : json.readTree(response.body())) {
                if (!"file".equals(f.path("type").asText("file"))) continue;
                JsonNode lfs = f.path("lfs");
                files.add(new HubFile(f.path("path").asText(), f.path("size").asLong(),
                        lfs.isObject() ? lfs.path("oid").asText(null) : null, f.path("oid").asText(null)));
            }
        } catch (IOException e) {
            throw new ModelException("unexpected answer from the hub for " + uri + ": " + e.getMessage(), e);
        }
        return files;
    }

    /**
     * The files a model folder needs for one precision: the configuration, tokenizer and template, and the
     * graph(s) of that precision with their external data shards.
     */
    public static List<HubFile> select(List<HubFile> all, Dtype dtype) {
        Set<String> paths = new java.util.HashSet<>();
        for (HubFile f : all) paths.add(f.path());
        List<String> graphs = new ArrayList<>();
        String decoder = "onnx/" + dtype.fileFor("decoder_model_merged");
        String single = "onnx/" + dtype.fileFor("model");
        if (paths.contains(decoder)) {
            graphs.add(decoder);
            String embed = "onnx/" + dtype.fileFor("embed_tokens");
            if (!paths.contains(embed)) {
                embed = null;
                for (Dtype d : List.of(Dtype.Q4, Dtype.FP32, Dtype.Q8, Dtype.Q4F16, Dtype.FP16)) {
                    if (paths.contains("onnx/" + d.fileFor("embed_tokens"))) {
                        embed = "onnx/" + d.fileFor("embed_tokens");
                        break;
                    }
                }
            }
            if (embed == null) throw new ModelException("the repository has " + decoder + " but no embed_tokens graph");
            graphs.add(embed);
        } else if (paths.contains(single)) {
            graphs.add(single);
        } else {
            List<String> available = all.stream().map(HubFile::path).filter(p -> p.startsWith("onnx/") && p.endsWith(".onnx")).sorted().toList();
            throw new ModelException("no " + dtype.cliName() + " graph in the repository (looked for " + single + " and "
                    + decoder + "); it has: " + (available.isEmpty() ? "no ONNX graphs" : String.join(", ", available)));
        }
        List<HubFile> chosen = new ArrayList<>();
        for (HubFile f : all) {
            boolean graph = graphs.contains(f.path());
            boolean shard = graphs.stream().anyMatch(g -> f.path().startsWith(g + "_data"));
            if (graph || shard || FOLDER_FILES.contains(f.path())) chosen.add(f);
        }
        return chosen;
    }

    /**
     * Downloads one file into {@code folder}, resuming a {@code .part} left by an interrupted pull, and
     * checks it before moving it into place. A file already present and correct is not fetched again.
     *
     * @param progress receives the number of bytes written so far for this file
     */
    public void download(String repo, String revision, HubFile file, Path folder, LongConsumer progress) {
        Path target = folder.resolve(file.path()).normalize();
        if (!target.startsWith(folder.normalize())) throw new ModelException("unsafe path from the hub: " + file.path());
        try {
            Files.createDirectories(target.getParent());
            if (Files.exists(target) && Files.size(target) == file.size() && verified(target, file)) {
                progress.accept(file.size());
                return;
            }
            Path part = target.resolveSibling(target.getFileName() + ".part");
            long have = Files.exists(part) ? Files.size(part) : 0;
            if (have > file.size()) {
                Files.delete(part);
                have = 0;
            }
            if (have < file.size()) fetch(repo, revision, file, part, have, progress);
            if (!verified(part, file)) {
                Files.delete(part); // a bad resume or a corrupted transfer: start over next time
                throw new ModelException(file.path() + " does not match the hub's checksum; it was deleted, run the pull again");
            }
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new ModelException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    private void fetch(String repo, String revision, HubFile file, Path part, long have, LongConsumer progress) throws IOException {
        URI uri = endpoint.resolve(repo + "/resolve/" + encode(revision) + "/" + file.path());
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET();
        if (have > 0) request.header("Range", "bytes=" + have + "-");
        HttpResponse<InputStream> response = send(request.build(), HttpResponse.BodyHandlers.ofInputStream(), uri);
        int status = response.statusCode();
        boolean resumed = status == 206;
        if (status != 200 && status != 206) {
            response.body().close();
            throw new ModelException("the hub answered HTTP " + status + " for " + uri);
        }
        long written = resumed ? have : 0;
        try (InputStream in = response.body();
             OutputStream out = Files.newOutputStream(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                     resumed ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                out.write(buffer, 0, n);
                written += n;
                progress.accept(written);
            }
        }
    }

    /** SHA-256 for LFS files, the git blob id for the others; a file with neither is taken on its size. */
    static boolean verified(Path file, HubFile expected) throws IOException {
        if (Files.size(file) != expected.size()) return false;
        if (expected.sha256() != null) return Hashing.sha256(file).equalsIgnoreCase(expected.sha256());
        if (expected.gitOid() != null) return gitBlobId(file).equalsIgnoreCase(expected.gitOid());
        return true;
    }

    /** git's id of a file's content: SHA-1 of "blob SIZE\0" followed by the bytes. */
    static String gitBlobId(Path file) throws IOException {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            sha1.update(("blob " + Files.size(file) + "\0").getBytes(StandardCharsets.UTF_8));
            try (InputStream in = Files.newInputStream(file)) {
                byte[] buffer = new byte[1 << 16];
                for (int n; (n = in.read(buffer)) > 0; ) sha1.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(sha1.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler, URI uri) {
        try {
            return http.send(request, handler);
        } catch (IOException e) {
            throw new ModelException("cannot reach " + uri.getHost() + " (" + e.getMessage() + "); model pull needs the network", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ModelException("interrupted while talking to " + uri.getHost(), e);
        }
    }

    private static void checkRepo(String repo) {
        if (!repo.matches("[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._-]*")) {
            throw new ModelException("'" + repo + "' is not a model name of the form owner/name, e.g. onnx-community/gemma-3-270m-it-ONNX");
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
