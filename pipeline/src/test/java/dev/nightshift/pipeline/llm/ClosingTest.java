package dev.nightshift.pipeline.llm;

import dev.nightshift.pipeline.llm.model.ModelException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClosingTest {

    @Test
    void closesEveryPartWhenSomeThrowAndReportsTheFirst() {
        List<String> closed = new ArrayList<>();
        AutoCloseable vision = () -> {
            closed.add("vision");
            throw new Exception("native free failed");
        };
        AutoCloseable session = () -> {
            closed.add("session");
            throw new IllegalStateException("already closed");
        };
        AutoCloseable tokenizer = () -> closed.add("tokenizer");

        assertThatThrownBy(() -> Closing.all(vision, null, session, tokenizer))
                .isInstanceOf(ModelException.class)
                .hasMessageContaining("native free failed")
                .satisfies(e -> assertThat(e.getSuppressed()).singleElement()
                        .satisfies(s -> assertThat(s).hasMessage("already closed")));
        assertThat(closed).containsExactly("vision", "session", "tokenizer");
    }

    @Test
    void closesQuietlyWhenNothingThrows() {
        List<String> closed = new ArrayList<>();
        Closing.all(() -> closed.add("a"), () -> closed.add("b"));
        assertThat(closed).containsExactly("a", "b");
    }
}
