package dev.nightshift.pipeline.core;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TaskTest {
    @Test
    void keyIgnoresParameterOrderButNotValues() {
        Map<String, String> ab = new LinkedHashMap<>();
        ab.put("a", "1");
        ab.put("b", "2");
        Map<String, String> ba = new LinkedHashMap<>();
        ba.put("b", "2");
        ba.put("a", "1");
        Task t1 = new Task("summary", "model", "m", "d1", "p", "1", "h", ab);
        Task t2 = new Task("summary", "model", "m", "d1", "p", "1", "h", ba);
        assertThat(t1.key()).isEqualTo(t2.key()).hasSize(64);
        assertThat(t1.parametersText()).isEqualTo("a=1;b=2");
        assertThat(new Task("summary", "model", "m", "d2", "p", "1", "h", ab).key()).isNotEqualTo(t1.key());
        assertThat(new Task("summary", "model", "m", "d1", "p", "2", "h", ab).key()).isNotEqualTo(t1.key());
    }
}
