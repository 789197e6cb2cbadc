package dev.nightshift.pipeline.llm.graph;

import dev.nightshift.pipeline.llm.GemmaEngine;
import dev.nightshift.pipeline.llm.GenerationRequest;
import dev.nightshift.pipeline.llm.GenerationResult;
import dev.nightshift.pipeline.llm.Kernels;
import dev.nightshift.pipeline.llm.TestModels;
import dev.nightshift.pipeline.llm.model.Dtype;
import dev.nightshift.pipeline.llm.model.ModelException;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AccuracyLevelPatchTest {
    static final Path GEMMA3 = TestModels.path("tiny-gemma3");

    @Test
    void setsTheLevelOnEveryFourBitMatMulAndLeavesTheRestAsItWas() throws Exception {
        byte[] original = Files.readAllBytes(GEMMA3.resolve("onnx/model_q4.onnx"));
        AccuracyLevelPatch.Result once = AccuracyLevelPatch.apply(original, AccuracyLevelPatch.INT8);
        assertThat(once.patchedNodes()).isPositive();
        // Each node grows by the attribute: its tag and length (2 bytes) and name, value and type (21 bytes);
        // a node's own length prefix may take one byte more, and so may the graph's.
        int n = once.patchedNodes();
        assertThat(once.model().length).isBetween(original.length + n * 23, original.length + n * 24 + 8);
        // Applied again, nothing is left to patch: the attribute is found and kept.
        AccuracyLevelPatch.Result twice = AccuracyLevelPatch.apply(once.model(), AccuracyLevelPatch.INT8);
        assertThat(twice.patchedNodes()).isZero();
        assertThat(twice.model()).isSameAs(once.model());
        // A graph without MatMulNBits (fp32) comes back unchanged.
        byte[] fp32 = Files.readAllBytes(GEMMA3.resolve("onnx/model.onnx"));
        assertThat(AccuracyLevelPatch.apply(fp32, AccuracyLevelPatch.INT8).model()).isSameAs(fp32);
    }

    @Test
    void theEngineRunsThePatchedGraphAndItStillGeneratesSensibly() {
        try (GemmaEngine exact = GemmaEngine.load(GEMMA3, Dtype.Q4, 2, null, Kernels.AS_SHIPPED);
             GemmaEngine int8 = GemmaEngine.load(GEMMA3, Dtype.Q4, 2, null, Kernels.INT8)) {
            assertThat(exact.int8Nodes()).isZero();
            assertThat(int8.int8Nodes()).isPositive();
            long[] prompt = exact.chatPrompt("Summarize: the quick brown fox.");
            GenerationResult a = exact.generate(List.of(GenerationRequest.greedy(prompt, 8))).get(0);
            GenerationResult b = int8.generate(List.of(GenerationRequest.greedy(prompt, 8))).get(0);
            assertThat(b.generatedTokens()).isEqualTo(8);
            // The first token comes from the prompt alone; int8 activations rarely move the greedy choice there.
            assertThat(b.tokenIds()[0]).isEqualTo(a.tokenIds()[0]);
        }
    }

    @Test
    void bytesThatAreNotAGraphAreRefusedClearly() {
        assertThatThrownBy(() -> AccuracyLevelPatch.apply(new byte[] {0x3a, 0x7f, 1, 2}, 4)).isInstanceOf(ModelException.class);
    }
}
