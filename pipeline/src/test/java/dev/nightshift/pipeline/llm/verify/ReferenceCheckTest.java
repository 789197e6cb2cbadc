package dev.nightshift.pipeline.llm.verify;

import dev.nightshift.pipeline.llm.GemmaEngine;
import dev.nightshift.pipeline.llm.TestModels;
import dev.nightshift.pipeline.llm.model.Dtype;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The engine reproduces transformers token for token on every fixture: both folder layouts (one graph,
 * two graphs), both export families (torch.onnx, fused GroupQueryAttention), every precision; and the
 * reference's batch, generated together and joining a running batch, gives every row's own tokens.
 */
class ReferenceCheckTest {
    static Path model(String name) {
        return TestModels.path(name);
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"tiny-gemma3, fp32", "tiny-gemma4, fp32", "tiny-gemma3, q8", "tiny-gemma3, q4", "tiny-gemma3-gqa, fp32",
            "tiny-gemma3-gqa, q4", "holdout-gemma3-gqa, fp32", "holdout-gemma3-gqa, q4"})
    void matchesTheReference(String name, String dtype) {
        try (GemmaEngine engine = GemmaEngine.load(model(name), Dtype.parse(dtype), 2)) {
            ReferenceCheck.Report report = ReferenceCheck.run(engine, model(name).resolve("reference.json"));
            String details = report.cases().stream()
                    .map(c -> c.name() + ": ids " + c.idsMatch() + ", template " + c.templateMatches() + ", first difference "
                            + c.firstDifference() + ", top5 " + c.top5Match() + ", logit error " + c.maxLogitError()
                            + "\n   expected " + Arrays.toString(c.expected()) + "\n   actual   " + Arrays.toString(c.actual()))
                    .collect(Collectors.joining("\n"));
            assertThat(report.cases()).as(details).hasSize(4).allSatisfy(c -> assertThat(c.matches()).as(details).isTrue());
            for (ReferenceCheck.BatchResult b : java.util.List.of(report.batch(), report.joined())) {
                assertThat(b.matches()).as(() -> name + " " + dtype + ": batch against " + b.against() + ": expected "
                        + b.expected().stream().map(Arrays::toString).toList() + "\nactual "
                        + b.actual().stream().map(Arrays::toString).toList()).isTrue();
            }
            assertThat(report.batch().cases()).hasSize(name.startsWith("holdout") ? 3 : 2);
            assertThat(report.batch().against()).isEqualTo(dtype.equals("fp32") ? "transformers' batch" : "each row alone");
            if (dtype.equals("fp32")) {
                assertThat(report.cases()).allSatisfy(c -> {
                    if (c.name().equals("plain_bos")) assertThat(c.maxLogitError()).isLessThan(ReferenceCheck.LOGIT_TOLERANCE);
                });
            }
            assertThat(report.allMatch()).isTrue();
        }
    }
}
