package dev.nightshift.pipeline.core;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

    @Test
    void aTasksKindComesFromItsNameAndSaysHowTheRunTreatsIt() {
        assertThat(new Task("translation:de", "model", "m", "d", "p", "1", "h", Map.of()).kind()).isEqualTo(TaskKind.TRANSLATION);
        assertThat(TaskKind.TRANSLATION.checksFactsOnly()).isTrue();
        assertThat(TaskKind.EXTRACT.check()).isEqualTo(TaskKind.Check.VALUES);
        assertThat(TaskKind.EXTRACT.checksFactsOnly()).isFalse();
        assertThat(TaskKind.TRANSLATION.failure()).isEqualTo(FailureCategory.TRANSLATE);
        assertThat(TaskKind.SUMMARY.seesPictures()).isTrue();
        assertThat(TaskKind.SUMMARY.failure()).isEqualTo(FailureCategory.SUMMARIZE);
        assertThat(TaskKind.IMAGE.failure()).isEqualTo(FailureCategory.DESCRIBE);
        for (TaskKind k : TaskKind.values()) assertThat(TaskKind.of(k.word())).isEqualTo(k);
        // "summaryX" is no summary: the word is matched whole
        assertThatThrownBy(() -> new Task("summaryX", "model", null, null, null, null, null, Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a task");
    }
}
