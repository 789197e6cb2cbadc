package dev.nightshift.pipeline.chunk;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HeuristicTokenCounterTest {
    private final TokenCounter counter = HeuristicTokenCounter.INSTANCE;

    @Test
    void countsWordsPunctuationAndIdeographs() {
        assertThat(counter.count("")).isZero();
        assertThat(counter.count("cat")).isEqualTo(1);
        assertThat(counter.count("elephant")).isEqualTo(2);        // 4-letter pieces
        assertThat(counter.count("cat, dog.")).isEqualTo(4);
        assertThat(counter.count("日本語")).isEqualTo(3);
    }

    @Test
    void isAdditiveOverWhitespace() {
        assertThat(counter.count("alpha beta")).isEqualTo(counter.count("alpha") + counter.count("beta"));
    }
}
