package dev.nightshift.pipeline.run;

import dev.nightshift.pipeline.core.FailureCategory;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RunReportTest {
    @Test
    void failuresAreCountedInTheCategoriesOrderWhateverOrderTheyCameIn() {
        Map<FailureCategory, Long> counted = new LinkedHashMap<>();
        counted.put(FailureCategory.TRANSLATE, 1L);
        counted.put(FailureCategory.PARSE_ERROR, 2L);
        counted.put(FailureCategory.EMPTY, 3L);
        RunReport r = new RunReport(1, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 6, counted, false, Duration.ZERO);
        assertThat(r.failuresByCategory().keySet())
                .containsExactly(FailureCategory.EMPTY, FailureCategory.PARSE_ERROR, FailureCategory.TRANSLATE);
        assertThat(new RunReport(1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, Map.of(), false, Duration.ZERO).failuresByCategory()).isEmpty();
    }
}
