package dev.nightshift.pipeline.llm.graph;

import dev.nightshift.pipeline.llm.GemmaEngine;
import dev.nightshift.pipeline.llm.Head;
import dev.nightshift.pipeline.llm.Kernels;
import dev.nightshift.pipeline.llm.TestModels;
import dev.nightshift.pipeline.llm.model.Dtype;
import dev.nightshift.pipeline.llm.verify.ReferenceCheck;
import org.junit.jupiter.api.Test;

import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The float output layer of the fused export (MatMul over the transposed tied embedding) quantized in
 * memory: weights as the MatMulNBits kernel reads them, the Transpose dropped, and on the fixture's
 * reference cases the 8-bit head gives the float head's tokens.
 */
class QuantizedHeadPatchTest {
    static final Path GQA = TestModels.path("tiny-gemma3-gqa");

    @Test
    void theTiedFloatHeadBecomesBlockwiseQuantizedWeights() throws Exception {
        Path graph = GQA.resolve("onnx/model_q4.onnx");
        byte[] original = Files.readAllBytes(graph);
        for (int bits : new int[] {8, 4}) {
            QuantizedHeadPatch.Result r = QuantizedHeadPatch.apply(original, graph.getParent(), bits);
            assertThat(r.applied()).as(r.reason()).isTrue();
            assertThat(GraphOps.opTypes(r.model())).doesNotContain("Transpose"); // nothing else read it
            // vocabulary 8192 x hidden 64: two blocks of 32 per output column
            QuantizedHeadPatch.Weight b = r.weights().get(0);
            QuantizedHeadPatch.Weight scales = r.weights().get(1);
            assertThat(b.shape()).containsExactly(8192, 2, 32 * bits / 8);
            assertThat(scales.shape()).containsExactly(8192 * 2);
            assertThat(b.data().capacity()).isEqualTo(8192 * 2 * 32 * bits / 8);
            // The value of largest magnitude in a block maps exactly to the lowest level (0): scale = it / -2^(bits-1).
            // Row 2 (BOS; row 0, the pad id, is all zeros), its first block:
            float scale = scales.data().order(ByteOrder.nativeOrder()).asFloatBuffer().get(2 * 2);
            assertThat(scale).isNotZero();
            boolean hasLowest = false;
            int blob = 32 * bits / 8;
            for (int i = 2 * 2 * blob; i < 2 * 2 * blob + blob; i++) {
                int v = b.data().get(i) & 0xff;
                hasLowest |= bits == 8 ? v == 0 : (v & 0x0f) == 0 || (v >>> 4) == 0;
            }
            assertThat(hasLowest).isTrue();
        }
    }

    @Test
    void aHeadQuantizedAlreadyOrMissingIsLeftAlone() throws Exception {
        Path torch = TestModels.path("tiny-gemma3").resolve("onnx/model_q4.onnx");
        QuantizedHeadPatch.Result r = QuantizedHeadPatch.apply(Files.readAllBytes(torch), torch.getParent(), 8);
        assertThat(r.applied()).isFalse();
        assertThat(r.reason()).isEqualTo("the output layer is quantized already");
        Path embed = TestModels.path("tiny-gemma4").resolve("onnx/embed_tokens.onnx");
        assertThat(QuantizedHeadPatch.apply(Files.readAllBytes(embed), embed.getParent(), 8).applied()).isFalse();
        assertThatThrownBy(() -> QuantizedHeadPatch.apply(new byte[0], embed.getParent(), 3)).isInstanceOf(IllegalArgumentException.class);
    }

    /** What makes 8 bits the default for 4-bit graphs: on the reference cases, the float head's tokens exactly. */
    @Test
    void theEightBitHeadGivesTheFloatHeadsTokensOnTheReferenceCases() {
        try (GemmaEngine engine = GemmaEngine.load(GQA, Dtype.Q4, 2, null, Kernels.AS_SHIPPED, Head.DEFAULT)) {
            assertThat(engine.head().bits()).isEqualTo(8);
            ReferenceCheck.Report report = ReferenceCheck.run(engine, GQA.resolve("reference.json"));
            assertThat(report.allMatch()).isTrue();
        }
        try (GemmaEngine fp32 = GemmaEngine.load(GQA, Dtype.FP32, 2, null, Kernels.AS_SHIPPED, Head.DEFAULT)) {
            assertThat(fp32.head().quantized()).as("the default leaves a float graph's head as it is").isFalse();
        }
    }
}
