package dev.nightshift.pipeline.llm;

import dev.nightshift.pipeline.llm.model.ModelException;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BatchingGeneratorTest {
    private static final List<String> PROMPTS = List.of("Summarize: the quick brown fox.", "Rivers carry ships.",
            "A longer prompt about harbours, cranes, ships and the goods they carry between cities.", "Snow.",
            "Mountains are high and some have snow all year.", "Bees and farmers.", "The council met on Tuesday.",
            "Heating costs were corrected.", "Two words.", "The library opens at nine.");

    /** Requests from several documents at once, batched together, give what each gives alone. */
    @ParameterizedTest
    @ValueSource(strings = {"tiny-gemma3", "tiny-gemma4", "tiny-gemma3-gqa"})
    void requestsOfManyCallersGiveTheTokensEachGivesAlone(String model) throws Exception {
        Path folder = TestModels.path(model);
        try (GemmaEngine engine = GemmaEngine.load(folder, null, 2);
             BatchingGenerator shared = new BatchingGenerator(engine, 4, 1L << 30)) {
            List<GenerationRequest> requests = new ArrayList<>();
            for (int i = 0; i < PROMPTS.size(); i++) {
                requests.add(GenerationRequest.greedy(engine.chatPrompt(PROMPTS.get(i)), 4 + 3 * (i % 4)));
            }
            List<int[]> alone = new ArrayList<>();
            for (GenerationRequest r : requests) alone.add(engine.generate(List.of(r)).get(0).tokenIds());

            ExecutorService documents = Executors.newFixedThreadPool(5);
            try {
                List<Future<List<GenerationResult>>> futures = new ArrayList<>();
                for (int d = 0; d < 5; d++) {
                    List<GenerationRequest> mine = List.of(requests.get(2 * d), requests.get(2 * d + 1));
                    futures.add(documents.submit(() -> shared.generate(mine)));
                }
                for (int d = 0; d < 5; d++) {
                    List<GenerationResult> got = futures.get(d).get();
                    for (int k = 0; k < 2; k++) {
                        assertThat(got.get(k).tokenIds()).as("%s request %d", model, 2 * d + k).isEqualTo(alone.get(2 * d + k));
                    }
                }
            } finally {
                documents.shutdownNow();
            }
            assertThat(shared.maxRows()).as("requests of different callers shared decoding steps").isGreaterThan(1);
        }
    }

    /** A request the engine cannot run fails its caller only; the others sharing its batch get their results. */
    @Test
    void aBadRequestFailsOnlyItsCaller() throws Exception {
        try (GemmaEngine engine = GemmaEngine.load(TestModels.path("tiny-gemma3"), null, 2);
             BatchingGenerator shared = new BatchingGenerator(engine, 8, 1L << 30)) {
            long[] good = engine.chatPrompt("Rivers carry ships.");
            long[] bad = Arrays.copyOf(good, good.length);
            bad[bad.length - 1] = engine.vocabSize() + 5; // outside the vocabulary
            ExecutorService callers = Executors.newFixedThreadPool(2);
            try {
                Future<List<GenerationResult>> ok = callers.submit(() -> shared.generate(List.of(GenerationRequest.greedy(good, 5))));
                Future<List<GenerationResult>> failing = callers.submit(() -> shared.generate(List.of(GenerationRequest.greedy(bad, 5))));
                assertThat(ok.get().get(0).generatedTokens()).isEqualTo(5);
                assertThatThrownBy(failing::get).hasCauseInstanceOf(ModelException.class).hasMessageContaining("outside the graph's vocabulary");
            } finally {
                callers.shutdownNow();
            }
        }
    }

    /** The KV budget bounds the rows of a batch: with room for one row's cache, every batch has one row. */
    @Test
    void theKvBudgetBoundsTheBatch() {
        try (GemmaEngine engine = GemmaEngine.load(TestModels.path("tiny-gemma3"), null, 2)) {
            GenerationRequest r = GenerationRequest.greedy(engine.chatPrompt("Rivers carry ships."), 6);
            long oneRow = (r.promptIds().length + 6L) * engine.kvBytesPerToken();
            assertThat(engine.kvBytesPerToken()).isPositive();
            // Three different requests (identical ones would be generated once), the longest as r.
            List<GenerationRequest> three = List.of(r, GenerationRequest.greedy(r.promptIds(), 5), GenerationRequest.greedy(r.promptIds(), 4));
            try (BatchingGenerator tight = new BatchingGenerator(engine, 8, oneRow)) {
                List<GenerationResult> results = tight.generate(three);
                assertThat(results).hasSize(3);
                assertThat(tight.maxRows()).isEqualTo(1);
            }
            try (BatchingGenerator roomy = new BatchingGenerator(engine, 8, 3 * oneRow)) {
                roomy.generate(three);
                assertThat(roomy.maxRows()).isEqualTo(3);
            }
        }
    }

    /** Two documents in flight with the same chunk: generated once, the second result marked as reused. */
    @Test
    void identicalGreedyRequestsAreGeneratedOnce() throws Exception {
        try (GemmaEngine engine = GemmaEngine.load(TestModels.path("tiny-gemma3"), null, 2);
             BatchingGenerator shared = new BatchingGenerator(engine, 8, 1L << 30)) {
            long[] prompt = engine.chatPrompt("Rivers carry ships.");
            List<GenerationResult> both = shared.generate(List.of(GenerationRequest.greedy(prompt, 6), GenerationRequest.greedy(prompt.clone(), 6)));
            assertThat(both.get(1).tokenIds()).isEqualTo(both.get(0).tokenIds());
            assertThat(both.get(0).reused()).isFalse();
            assertThat(both.get(1).reused()).isTrue();
            assertThat(both.get(1).shareNanos()).isZero();
            assertThat(shared.maxRows()).isEqualTo(1); // one row was generated
        }
    }

    /**
     * An Error in the generator's worker (out of memory, a native failure) reaches every caller, in flight
     * and later, as a GeneratorFailedException: nobody waits for ever (callers used to hang in f.get()).
     */
    @Test
    void anErrorInTheWorkerFailsEveryCallerInsteadOfHangingThem() throws Exception {
        try (GemmaEngine engine = GemmaEngine.load(TestModels.path("tiny-gemma3"), null, 2);
             BatchingGenerator shared = new BatchingGenerator(engine, 4, 1L << 30)) {
            engine.cancelWhen(() -> {
                throw new OutOfMemoryError("simulated: the native allocator failed");
            });
            GenerationRequest r = GenerationRequest.greedy(engine.chatPrompt("Rivers carry ships."), 5);
            org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(20), () -> {
                assertThatThrownBy(() -> shared.generate(List.of(r, r))).isInstanceOf(GeneratorFailedException.class)
                        .hasMessageContaining("simulated");
                assertThatThrownBy(() -> shared.generate(List.of(r))).isInstanceOf(GeneratorFailedException.class);
            });
        }
    }
}
