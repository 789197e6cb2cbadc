package dev.nightshift.pipeline.llm.verify;

import dev.nightshift.pipeline.llm.GemmaEngine;
import dev.nightshift.pipeline.llm.GenerationRequest;
import dev.nightshift.pipeline.llm.GenerationResult;
import dev.nightshift.pipeline.llm.Kernels;
import dev.nightshift.pipeline.llm.TestModels;
import dev.nightshift.pipeline.llm.model.Dtype;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The engine reproduces transformers token for token on both fixture layouts. */
class ReferenceCheckTest {
    static Path model(String name) {
        return Path.of("src", "test", "resources", "models", name).toAbsolutePath();
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"tiny-gemma3, fp32", "tiny-gemma4, fp32", "tiny-gemma3, q8", "tiny-gemma3, q4"})
    void matchesTheReference(String name, String dtype) {
        try (GemmaEngine engine = GemmaEngine.load(model(name), Dtype.parse(dtype), 2)) {
            ReferenceCheck.Report report = ReferenceCheck.run(engine, model(name).resolve("reference.json"));
            String details = report.cases().stream()
                    .map(c -> c.name() + ": ids " + c.idsMatch() + ", template " + c.templateMatches() + ", first difference "
                            + c.firstDifference() + ", top5 " + c.top5Match() + ", logit error " + c.maxLogitError()
                            + "\n   expected " + Arrays.toString(c.expected()) + "\n   actual   " + Arrays.toString(c.actual()))
                    .collect(Collectors.joining("\n"));
            assertThat(report.cases()).as(details).hasSize(4).allSatisfy(c -> assertThat(c.matches()).as(details).isTrue());
            if (dtype.equals("fp32")) {
                assertThat(report.batch()).isNotNull();
                assertThat(report.batch().matches()).as(() -> "batch: expected "
                        + report.batch().expected().stream().map(Arrays::toString).toList() + "\nactual "
                        + report.batch().actual().stream().map(Arrays::toString).toList()).isTrue();
                assertThat(report.cases()).allSatisfy(c -> {
                    if (c.name().equals("plain_bos")) assertThat(c.maxLogitError()).isLessThan(ReferenceCheck.LOGIT_TOLERANCE);
                });
            }
        }
    }
}
