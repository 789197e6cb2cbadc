package dev.nightshift.pipeline.llm.hub;

import dev.nightshift.pipeline.llm.model.Dtype;
import dev.nightshift.pipeline.llm.GemmaEngine;
import dev.nightshift.pipeline.llm.model.ModelException;
import dev.nightshift.pipeline.llm.verify.ReferenceCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HubClientTest {
    static final Path MODEL = Path.of("src/test/resources/models/tiny-gemma3").toAbsolutePath();
    static final Path GEMMA4 = Path.of("src/test/resources/models/tiny-gemma4").toAbsolutePath();

    @TempDir
    Path dir;

    private void pull(HubClient hub, Dtype dtype, Path target) {
        for (HubFile f : HubClient.select(hub.list(FakeHub.REPO, "main"), dtype)) {
            hub.download(FakeHub.REPO, "main", f, target, bytes -> { });
        }
    }

    @Test
    void pullsOnlyWhatOnePrecisionNeedsAndTheResultRuns() throws Exception {
        try (FakeHub server = new FakeHub(MODEL)) {
            HubClient hub = new HubClient(server.endpoint());
            Path target = dir.resolve("model");
            pull(hub, Dtype.Q4, target);
            assertThat(target.resolve("onnx/model_q4.onnx")).exists();
            assertThat(target.resolve("onnx/model.onnx")).doesNotExist();
            assertThat(target.resolve("onnx/model_quantized.onnx")).doesNotExist();
            assertThat(target.resolve("tokenizer.json")).exists();
            assertThat(target.resolve("reference.json")).doesNotExist(); // not part of a model folder
            Files.copy(MODEL.resolve("reference.json"), target.resolve("reference.json"));
            try (GemmaEngine engine = GemmaEngine.load(target, Dtype.Q4, 1)) {
                assertThat(ReferenceCheck.run(engine, target.resolve("reference.json")).allMatch()).isTrue();
            }
            // A second pull finds everything in place and fetches nothing.
            long before = server.bytesServed.get();
            pull(hub, Dtype.Q4, target);
            assertThat(server.bytesServed.get()).isEqualTo(before);
        }
    }

    @Test
    void selectsBothGraphsOfTheTwoGraphLayout() throws Exception {
        try (FakeHub server = new FakeHub(GEMMA4)) {
            HubClient hub = new HubClient(server.endpoint());
            List<String> paths = HubClient.select(hub.list(FakeHub.REPO, "main"), Dtype.FP32).stream().map(HubFile::path).toList();
            assertThat(paths).contains("onnx/decoder_model_merged.onnx", "onnx/embed_tokens.onnx", "config.json", "tokenizer.json");
            assertThatThrownBy(() -> HubClient.select(hub.list(FakeHub.REPO, "main"), Dtype.Q4))
                    .isInstanceOf(ModelException.class).hasMessageContaining("no q4 graph").hasMessageContaining("decoder_model_merged.onnx");
        }
    }

    @Test
    void resumesAnInterruptedDownload() throws Exception {
        try (FakeHub server = new FakeHub(MODEL)) {
            HubClient hub = new HubClient(server.endpoint());
            Path target = dir.resolve("model");
            HubFile graph = HubClient.select(hub.list(FakeHub.REPO, "main"), Dtype.Q4).stream()
                    .filter(f -> f.path().equals("onnx/model_q4.onnx")).findFirst().orElseThrow();
            byte[] whole = Files.readAllBytes(MODEL.resolve("onnx/model_q4.onnx"));
            Files.createDirectories(target.resolve("onnx"));
            Files.write(target.resolve("onnx/model_q4.onnx.part"), Arrays.copyOf(whole, whole.length / 2));
            hub.download(FakeHub.REPO, "main", graph, target, bytes -> { });
            assertThat(server.bytesServed.get()).isEqualTo(whole.length - whole.length / 2);
            assertThat(Files.readAllBytes(target.resolve("onnx/model_q4.onnx"))).isEqualTo(whole);
            assertThat(target.resolve("onnx/model_q4.onnx.part")).doesNotExist();
        }
    }

    @Test
    void aCorruptedTransferIsRejectedAndNotKept() throws Exception {
        try (FakeHub server = new FakeHub(MODEL)) {
            server.corrupt = "onnx/model_q4.onnx";
            HubClient hub = new HubClient(server.endpoint());
            Path target = dir.resolve("model");
            assertThatThrownBy(() -> pull(hub, Dtype.Q4, target))
                    .isInstanceOf(ModelException.class).hasMessageContaining("does not match the hub's checksum");
            assertThat(target.resolve("onnx/model_q4.onnx")).doesNotExist();
            assertThat(target.resolve("onnx/model_q4.onnx.part")).doesNotExist();
        }
    }

    @Test
    void badNamesAndUnreachableHubsGetClearMessages() throws Exception {
        assertThatThrownBy(() -> new HubClient(URI.create("http://127.0.0.1:1")).list("not a repo", "main"))
                .isInstanceOf(ModelException.class).hasMessageContaining("owner/name");
        assertThatThrownBy(() -> new HubClient(URI.create("http://127.0.0.1:1")).list("a/b", "main"))
                .isInstanceOf(ModelException.class).hasMessageContaining("cannot reach 127.0.0.1");
        try (FakeHub server = new FakeHub(MODEL)) {
            assertThatThrownBy(() -> new HubClient(server.endpoint()).list("someone/missing", "main"))
                    .isInstanceOf(ModelException.class).hasMessageContaining("no model someone/missing");
        }
        assertThatThrownBy(() -> new HubFile("../../etc/passwd", 1, null, null)).isInstanceOf(IllegalArgumentException.class);
    }
}
