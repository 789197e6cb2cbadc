package dev.nightshift.pipeline.llm;

import dev.nightshift.pipeline.llm.model.Dtype;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The probe at load finds the layout each export family needs, and sees the other one fail: the torch.onnx
 * fixture is exact only left-padded, the fused GroupQueryAttention fixture only right-aligned, and a
 * dynamically quantized graph (int8 activations scaled over the whole batch) in no batch at all.
 */
class LayoutProbeTest {
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
            "tiny-gemma3, fp32, LEFT_PADDED, RIGHT_ALIGNED",
            "tiny-gemma3, q4, LEFT_PADDED, RIGHT_ALIGNED",
            "tiny-gemma4, fp32, LEFT_PADDED, RIGHT_ALIGNED",
            "tiny-gemma3-gqa, fp32, RIGHT_ALIGNED, LEFT_PADDED",
            "tiny-gemma3-gqa, q4, RIGHT_ALIGNED, LEFT_PADDED"})
    void eachFamilyGetsItsLayoutAndTheOtherOneFails(String model, String dtype, BatchLayout right, BatchLayout wrong) {
        try (GemmaEngine engine = GemmaEngine.load(TestModels.path(model), Dtype.parse(dtype), 2)) {
            LayoutChoice choice = engine.layoutChoice();
            assertThat(choice.layout()).as(choice.reason()).isEqualTo(right);
            assertThat(choice.worstDifference()).isLessThan(1e-4);
            assertThat(choice.reason()).contains(right == BatchLayout.RIGHT_ALIGNED ? "GroupQueryAttention" : "slot by slot");

            LayoutProbe.Probe probe = new LayoutProbe.Probe(engine.session(), engine.tokenizer());
            // The fused graph also writes its keys and values in place; copied from step to step they are exact too.
            assertThat(choice.inPlace()).isEqualTo(right == BatchLayout.RIGHT_ALIGNED);
            if (right == BatchLayout.RIGHT_ALIGNED) assertThat(probe.check(BatchLayout.RIGHT_ALIGNED, false).exact()).isTrue();
            LayoutProbe.Outcome other = probe.check(wrong, false);
            assertThat(other.exact()).as("%s %s under %s", model, dtype, wrong).isFalse();
            // Not a rounding matter: the wrong layout attends to the wrong keys.
            assertThat(other.detail()).matches(".*(logits differ by|another token|refused).*");
            assertThat(other.worst()).satisfiesAnyOf(w -> assertThat(w).isNaN(), w -> assertThat(w).isGreaterThan(0.05));
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"tiny-gemma3, q8"})
    void aGraphWhoseRowsChangeEachOtherRunsOneRowAtATime(String model, String dtype) {
        try (GemmaEngine engine = GemmaEngine.load(TestModels.path(model), Dtype.parse(dtype), 2)) {
            LayoutChoice choice = engine.layoutChoice();
            assertThat(choice.layout()).as(choice.reason()).isEqualTo(BatchLayout.SINGLE_ROWS);
            assertThat(choice.reason()).contains("no padded layout reproduces a row alone").contains("rows of one length change each other");
        }
    }
}
