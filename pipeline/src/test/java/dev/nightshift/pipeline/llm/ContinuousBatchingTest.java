package dev.nightshift.pipeline.llm;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Newcomers join a running batch between steps and give the tokens they give alone. */
class ContinuousBatchingTest {
    @ParameterizedTest
    @ValueSource(strings = {"tiny-gemma3", "tiny-gemma4", "tiny-gemma3-gqa"})
    void newcomersJoiningARunningBatchGiveTheTokensTheyGiveAlone(String model) {
        try (GemmaEngine engine = GemmaEngine.load(TestModels.path(model), null, 2)) {
            GenerationRequest first = GenerationRequest.greedy(engine.chatPrompt("Rivers carry ships."), 12);
            // Longer than the batch so far: the running rows are padded to take it in.
            GenerationRequest longer = GenerationRequest.greedy(
                    engine.chatPrompt("A much longer prompt about harbours, cranes, ships and the goods they carry between the cities."), 8);
            // Shorter: it is padded itself.
            GenerationRequest shorter = GenerationRequest.greedy(engine.chatPrompt("Snow."), 6);
            // Finishes at once: never joins.
            GenerationRequest single = GenerationRequest.greedy(engine.chatPrompt("One."), 1);
            GenerationRequest other = GenerationRequest.greedy(engine.chatPrompt("Bees and farmers work together."), 7);
            List<GenerationRequest> all = List.of(first, longer, shorter, single, other);
            Map<GenerationRequest, int[]> alone = new IdentityHashMap<>();
            for (GenerationRequest r : all) alone.put(r, engine.generate(List.of(r)).get(0).tokenIds());

            // Before steps 0, 3 and 5; nothing before the others.
            ScriptedFeed feed = new ScriptedFeed(List.of(List.of(first), List.of(), List.of(), List.of(longer, single), List.of(),
                    List.of(shorter, other)));
            engine.generateContinuously(feed);
            List<Integer> rowsPerStep = feed.rowsPerStep();
            List<long[]> batchShapes = feed.shapes();
            for (GenerationRequest r : all) {
                assertThat(feed.result(r).tokenIds()).as("%s, prompt of %d tokens", model, r.promptIds().length).isEqualTo(alone.get(r));
            }
            assertThat(rowsPerStep).contains(1, 2, 4); // alone, then with the longer one (the single-token one never joins), then two more
            assertThat(feed.result(single).tokenIds()).hasSize(1);
            // When the longer prompt's row has left, the columns that were only its (padding for every
            // other row) are dropped: the batch gets shorter while rows are still running.
            boolean shortened = false;
            for (int i = 1; i < batchShapes.size(); i++) {
                shortened |= batchShapes.get(i)[0] > 0 && batchShapes.get(i)[1] < batchShapes.get(i - 1)[1];
            }
            assertThat(shortened).as("the batch dropped columns no remaining row needs").isTrue();
        }
    }

    /**
     * The fallbacks for a graph no padded layout reproduces: under EQUAL_LENGTHS only prompts of one length
     * share a step (the others wait for the batch to empty), under SINGLE_ROWS one row runs at a time;
     * every request still gives its own tokens.
     */
    @ParameterizedTest
    @ValueSource(strings = {"EQUAL_LENGTHS", "SINGLE_ROWS"})
    void withoutPaddingRowsOfOneLengthOrOneRowRunTogether(String name) {
        BatchLayout layout = BatchLayout.valueOf(name);
        try (GemmaEngine engine = GemmaEngine.load(TestModels.path("tiny-gemma3"), null, 2)) {
            long[] a = engine.chatPrompt("Rivers carry ships.");
            long[] b = engine.chatPrompt("Bees and farmers work together.");
            long[] sameAsA = java.util.Arrays.copyOf(b, a.length);
            List<GenerationRequest> all = List.of(GenerationRequest.greedy(a, 5), GenerationRequest.greedy(b, 4),
                    GenerationRequest.greedy(sameAsA, 3), GenerationRequest.greedy(a, 2));
            Map<GenerationRequest, int[]> alone = new IdentityHashMap<>();
            for (GenerationRequest r : all) alone.put(r, engine.generate(List.of(r)).get(0).tokenIds());

            ContinuousDecoder decoder = new ContinuousDecoder(engine.session(), layout, false, engine.tokenizer(), r -> { }, -1);
            ScriptedFeed feed = new ScriptedFeed(List.of(all));
            decoder.run(feed);
            List<Integer> rowsPerStep = feed.rowsPerStep();
            for (GenerationRequest r : all) assertThat(feed.result(r).tokenIds()).as(name).isEqualTo(alone.get(r));
            // Three prompts share a length: together they make at most three rows; one row at a time makes one.
            assertThat(rowsPerStep).as(name).allSatisfy(rows -> assertThat(rows).isLessThanOrEqualTo(layout == BatchLayout.SINGLE_ROWS ? 1 : 3));
            if (layout == BatchLayout.EQUAL_LENGTHS) assertThat(rowsPerStep).contains(3);
        }
    }
}
