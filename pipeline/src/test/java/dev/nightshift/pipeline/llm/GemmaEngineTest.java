package dev.nightshift.pipeline.llm;

import dev.nightshift.pipeline.llm.model.ChatTemplate;
import dev.nightshift.pipeline.llm.model.Dtype;
import dev.nightshift.pipeline.llm.model.ModelException;
import dev.nightshift.pipeline.llm.model.ModelFolder;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GemmaEngineTest {
    static final Path GEMMA3 = TestModels.path("tiny-gemma3");
    static final Path GEMMA4 = TestModels.path("tiny-gemma4");
    static GemmaEngine engine;

    @TempDir
    Path dir;

    @BeforeAll
    static void load() {
        engine = GemmaEngine.load(GEMMA3, Dtype.FP32, 2);
    }

    @AfterAll
    static void close() {
        engine.close();
    }

    @Test
    void readsTheGraphInsteadOfAssumingIt() {
        assertThat(engine.vocabSize()).isEqualTo(8192);
        assertThat(engine.kvSummary()).hasSize(4).allSatisfy(s -> assertThat(s).contains("2 heads x 16"));
        try (GemmaEngine g4 = GemmaEngine.load(GEMMA4, null, 2)) {
            // 6 layers, the last 2 share KV: 4 pairs, pair 2 is a wider full-attention layer.
            assertThat(g4.kvSummary()).hasSize(4);
            assertThat(g4.kvSummary().get(2)).contains("2 heads x 32");
            assertThat(g4.config().modelType()).isEqualTo("gemma4_text");
            assertThat(g4.config().eosIds()).containsExactlyInAnyOrder(1, 106);
            assertThat(g4.graphSignature()).containsKey("embed_tokens out per_layer_inputs");
        }
    }

    @Test
    void theDefaultPrecisionIsFourBitWhenPresent() {
        assertThat(ModelFolder.resolve(GEMMA3, null).dtype()).isEqualTo(Dtype.Q4);
        assertThat(ModelFolder.resolve(GEMMA4, null).dtype()).isEqualTo(Dtype.FP32);
    }

    @Test
    void stopsAtLengthOrAtAnEndOfSequenceIdAndStreams() {
        long[] prompt = engine.chatPrompt("Summarize: the quick brown fox.");
        List<Integer> streamed = new ArrayList<>();
        GenerationResult r = engine.generate(List.of(GenerationRequest.greedy(prompt, 7)), (row, token) -> streamed.add(token)).get(0);
        assertThat(r.finishReason()).isEqualTo(FinishReason.LENGTH);
        assertThat(r.generatedTokens()).isEqualTo(7);
        assertThat(streamed).containsExactlyElementsOf(Arrays.stream(r.tokenIds()).boxed().toList());
        assertThat(r.promptTokens()).isEqualTo(prompt.length);
        assertThat(r.prefillNanos()).isPositive();
        assertThat(r.decodeNanos()).isPositive();
        assertThat(r.shareNanos()).isBetween(1L, r.prefillNanos() + r.decodeNanos());
    }

    /**
     * Each row of a batch is charged its own share, and the shares add up to the batch's time (its
     * prefill and the steps of its longest row), not to a multiple of it.
     */
    @Test
    void theRowsOfABatchShareItsTime() {
        List<GenerationRequest> batch = List.of(
                GenerationRequest.greedy(engine.chatPrompt("One."), 3),
                GenerationRequest.greedy(engine.chatPrompt("A much longer prompt about rivers, harbours and the ships between them."), 12),
                GenerationRequest.greedy(engine.chatPrompt("Two words."), 6));
        List<GenerationResult> results = engine.generate(batch);
        long batchNanos = results.stream().mapToLong(x -> x.prefillNanos() + x.decodeNanos()).max().orElseThrow();
        assertThat(results.get(1).decodeNanos()).as("a row is timed over the steps it ran in")
                .isGreaterThan(results.get(0).decodeNanos());
        long shares = results.stream().mapToLong(GenerationResult::shareNanos).sum();
        assertThat(results).allSatisfy(x -> assertThat(x.shareNanos()).isPositive());
        assertThat(shares).isLessThanOrEqualTo(batchNanos).isGreaterThan(batchNanos / 2);
        // The row that ran longest and had the longest prompt is charged most.
        assertThat(results.get(1).shareNanos()).isGreaterThan(results.get(0).shareNanos());
    }

    @Test
    void stopsAtEveryEndOfSequenceIdOfTheGenerationConfig() throws IOException {
        long[] prompt = engine.chatPrompt("Summarize: the quick brown fox.");
        int[] free = engine.generate(List.of(GenerationRequest.greedy(prompt, 6))).get(0).tokenIds();
        // A copy of the model whose generation_config declares the third greedy token an end-of-sequence id.
        Path m = copyOf(GEMMA3);
        Files.writeString(m.resolve("generation_config.json"),
                "{\"bos_token_id\": 2, \"eos_token_id\": [1, 106, " + free[2] + "], \"pad_token_id\": 0}");
        try (GemmaEngine stopping = GemmaEngine.load(m, Dtype.FP32, 1)) {
            assertThat(stopping.config().eosIds()).contains(free[2]);
            GenerationResult r = stopping.generate(List.of(GenerationRequest.greedy(prompt, 6))).get(0);
            assertThat(r.finishReason()).isEqualTo(FinishReason.STOP);
            int firstOccurrence = 0;
            while (free[firstOccurrence] != free[2]) firstOccurrence++;
            assertThat(r.tokenIds()).containsExactly(Arrays.copyOf(free, firstOccurrence + 1));
            // A benchmark ignores end-of-sequence ids and runs to its length.
            GenerationResult bench = stopping.generate(List.of(new GenerationRequest(prompt, 6, SamplingParams.GREEDY, false))).get(0);
            assertThat(bench.tokenIds()).containsExactly(free);
            assertThat(bench.finishReason()).isEqualTo(FinishReason.LENGTH);
        }
    }

    @Test
    void sameSeedSameTextAndGreedyIgnoresTheSeed() {
        long[] prompt = engine.chatPrompt("Tell me about rivers.");
        SamplingParams sampled = new SamplingParams(0.9, 40, 0.95, 1234);
        int[] a = engine.generate(List.of(new GenerationRequest(prompt, 12, sampled, true))).get(0).tokenIds();
        int[] b = engine.generate(List.of(new GenerationRequest(prompt, 12, sampled, true))).get(0).tokenIds();
        assertThat(a).isEqualTo(b);
        int[] other = engine.generate(List.of(new GenerationRequest(prompt, 12, new SamplingParams(0.9, 40, 0.95, 99), true))).get(0).tokenIds();
        int[] greedy = engine.generate(List.of(GenerationRequest.greedy(prompt, 12))).get(0).tokenIds();
        assertThat(other).isNotEqualTo(a);
        assertThat(greedy).isNotEqualTo(a);
    }

    /** In each export family's own layout, a row of a batch gives what it gives alone. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"tiny-gemma3", "tiny-gemma3-gqa"})
    void aBatchGivesTheSameTokensAsSinglePrompts(String model) {
        try (GemmaEngine engine = GemmaEngine.load(TestModels.path(model), null, 2)) {
            aBatchGivesTheSameTokensAsSinglePrompts(engine);
        }
    }

    private static void aBatchGivesTheSameTokensAsSinglePrompts(GemmaEngine engine) {
        List<long[]> prompts = List.of(engine.chatPrompt("One."), engine.chatPrompt("A much longer prompt about harbours and ships."),
                engine.chatPrompt("Three words here."));
        List<GenerationRequest> requests = prompts.stream().map(p -> GenerationRequest.greedy(p, 10)).toList();
        List<GenerationResult> batch = engine.generate(requests);
        for (int i = 0; i < prompts.size(); i++) {
            assertThat(batch.get(i).tokenIds()).as("row " + i)
                    .isEqualTo(engine.generate(List.of(requests.get(i))).get(0).tokenIds());
        }
    }

    /**
     * Rows that finish early are dropped from the running batch (their keys and values cut out of the
     * cache) several times here: 2 of 8 rows after 2 tokens, 2 more after 5, 2 more after 9. The rows
     * that go on must not notice.
     */
    @Test
    void rowsThatFinishEarlyLeaveTheBatchWithoutChangingTheOthers() {
        rowsLeaveTheBatchUnnoticed(engine);
        try (GemmaEngine g4 = GemmaEngine.load(GEMMA4, Dtype.FP32, 2)) {
            rowsLeaveTheBatchUnnoticed(g4);
        }
        try (GemmaEngine fused = GemmaEngine.load(TestModels.path("tiny-gemma3-gqa"), Dtype.Q4, 2)) {
            rowsLeaveTheBatchUnnoticed(fused);
        }
    }

    private static void rowsLeaveTheBatchUnnoticed(GemmaEngine engine) {
        int[] lengths = {2, 24, 5, 24, 2, 9, 5, 9};
        List<GenerationRequest> requests = new java.util.ArrayList<>();
        for (int i = 0; i < lengths.length; i++) {
            requests.add(GenerationRequest.greedy(engine.chatPrompt("Row " + i + " tells of " + "ships and harbours ".repeat(i % 3 + 1)),
                    lengths[i]));
        }
        List<GenerationResult> batch = engine.generate(requests);
        for (int i = 0; i < requests.size(); i++) {
            GenerationResult alone = engine.generate(List.of(requests.get(i))).get(0);
            assertThat(batch.get(i).tokenIds()).as("row " + i).isEqualTo(alone.tokenIds());
            assertThat(batch.get(i).finishReason()).as("row " + i).isEqualTo(alone.finishReason());
        }
    }

    @Test
    void aPromptOverTheContextIsRefusedNotTruncated() {
        long[] tooLong = new long[engine.config().contextLength()];
        Arrays.fill(tooLong, 300);
        assertThatThrownBy(() -> engine.generate(List.of(GenerationRequest.greedy(tooLong, 10))))
                .isInstanceOf(ContextOverflowException.class)
                .hasMessageContaining("exceeds the model's context of 4096 tokens")
                .hasMessageContaining("nothing was truncated");
    }

    @Test
    void theTokenizerNeverTruncates() {
        String text = "word ".repeat(3000);
        assertThat(engine.tokenizer().encode(text).length).isGreaterThan(3000);
    }

    @Test
    void rendersTheFoldersOwnChatTemplates() {
        var user = List.of(new ChatTemplate.Message("user", "Hi"));
        assertThat(engine.template().render(user, true)).isEqualTo("<bos><start_of_turn>user\nHi<end_of_turn>\n<start_of_turn>model\n");
        assertThat(ChatTemplate.load(GEMMA4).render(user, true)).isEqualTo("<bos><|turn>user\nHi<turn|>\n<|turn>model\n");
        var notAlternating = List.of(new ChatTemplate.Message("user", "a"), new ChatTemplate.Message("user", "b"));
        assertThatThrownBy(() -> engine.template().render(notAlternating, true))
                .isInstanceOf(ModelException.class).hasMessageContaining("alternate");
    }

    // ---- bad model folders: each a clear error, never a JVM crash ----

    private Path copyOf(Path model) throws IOException {
        Path target = dir.resolve(model.getFileName());
        try (Stream<Path> files = Files.walk(model)) {
            for (Path p : files.toList()) {
                Path t = target.resolve(model.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(t); else Files.copy(p, t);
            }
        }
        return target;
    }

    @Test
    void aFolderThatIsNotAModel() throws IOException {
        assertThatThrownBy(() -> GemmaEngine.load(dir.resolve("missing"), null, 1))
                .isInstanceOf(ModelException.class).hasMessageContaining("does not exist");
        Files.writeString(dir.resolve("notes.txt"), "hello");
        assertThatThrownBy(() -> GemmaEngine.load(dir, null, 1))
                .isInstanceOf(ModelException.class).hasMessageContaining("has no config.json");
    }

    @Test
    void anUnknownModelType() throws IOException {
        Path m = copyOf(GEMMA3);
        Files.writeString(m.resolve("config.json"), Files.readString(m.resolve("config.json")).replace("gemma3_text", "llama"));
        assertThatThrownBy(() -> GemmaEngine.load(m, Dtype.FP32, 1))
                .isInstanceOf(ModelException.class).hasMessageContaining("unsupported model_type 'llama'");
    }

    @Test
    void aMissingTokenizer() throws IOException {
        Path m = copyOf(GEMMA3);
        Files.delete(m.resolve("tokenizer.json"));
        assertThatThrownBy(() -> GemmaEngine.load(m, Dtype.FP32, 1))
                .isInstanceOf(ModelException.class).hasMessageContaining("missing tokenizer");
    }

    @Test
    void aTruncatedGraph() throws IOException {
        Path m = copyOf(GEMMA3);
        Path graph = m.resolve("onnx/model.onnx");
        byte[] bytes = Files.readAllBytes(graph);
        Files.write(graph, Arrays.copyOf(bytes, bytes.length / 3));
        assertThatThrownBy(() -> GemmaEngine.load(m, Dtype.FP32, 1))
                .isInstanceOf(ModelException.class).hasMessageContaining("cannot load the graph").hasMessageContaining("model.onnx");
    }

    @Test
    void aMissingPrecision() {
        assertThatThrownBy(() -> GemmaEngine.load(GEMMA3, Dtype.FP16, 1))
                .isInstanceOf(ModelException.class).hasMessageContaining("no fp16 graph")
                .hasMessageContaining("model_q4.onnx");
        assertThatThrownBy(() -> Dtype.parse("int3")).isInstanceOf(ModelException.class)
                .hasMessageContaining("unknown dtype 'int3'").hasMessageContaining("q4f16");
    }

    @Test
    void aTokenizerWhoseVocabularyDoesNotMatchTheGraph() throws IOException {
        Path m = copyOf(GEMMA3);
        // A tokenizer that maps a word to an id past the graph's 8192 logits.
        String tokenizer = Files.readString(m.resolve("tokenizer.json"));
        String patched = tokenizer.replaceFirst("\"added_tokens\"\\s*:\\s*\\[",
                "\"added_tokens\": [{\"id\": 9000, \"content\": \"<zebra>\", \"single_word\": false, \"lstrip\": false, "
                        + "\"rstrip\": false, \"normalized\": false, \"special\": true},");
        Files.writeString(m.resolve("tokenizer.json"), patched);
        try (GemmaEngine e = GemmaEngine.load(m, Dtype.FP32, 1)) {
            long[] ids = e.tokenizer().encode("<bos>hello <zebra>");
            assertThat(ids[ids.length - 1]).isGreaterThanOrEqualTo(8192L); // tokenizers renumbers it, still past the graph
            assertThatThrownBy(() -> e.generate(List.of(GenerationRequest.greedy(ids, 3))))
                    .isInstanceOf(ModelException.class).hasMessageContaining("tokenizer.json does not match the model");
        }
    }
}
