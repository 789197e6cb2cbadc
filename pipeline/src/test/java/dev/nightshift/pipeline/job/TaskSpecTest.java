package dev.nightshift.pipeline.job;

import dev.nightshift.pipeline.core.TaskKind;
import dev.nightshift.pipeline.llm.DirectGenerator;
import dev.nightshift.pipeline.llm.GemmaEngine;
import dev.nightshift.pipeline.llm.model.Dtype;
import dev.nightshift.pipeline.summarize.SummaryStyle;
import dev.nightshift.pipeline.task.ResultCache;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Path;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TaskSpecTest {
    /** The tiny fixture, loaded by each test that builds a model's task. */
    private static GemmaEngine tiny() {
        return GemmaEngine.load(Path.of("src/test/resources/models/tiny-gemma3").toAbsolutePath(), Dtype.FP32, 2);
    }

    private static String key(TaskSpec spec, GemmaEngine with) {
        return spec.build(with, with == null ? null : new DirectGenerator(with, 1), 2048, ResultCache.NONE).profile().task().key();
    }

    @Test
    void theOptionsOfASummaryAreAllInItsTaskKey() {
        try (GemmaEngine engine = tiny()) {
            summaryKeys(engine);
        }
    }

    private static void summaryKeys(GemmaEngine engine) {
        TaskSpec plain = TaskSpec.summary(120, SummaryStyle.PARAGRAPH, null, 0);
        assertThat(key(plain, engine)).isEqualTo(key(TaskSpec.summary(120, SummaryStyle.PARAGRAPH, null, 0), engine));
        // What Spark dropped before: the summaries' language and the chunks' overlap make another task.
        assertThat(key(TaskSpec.summary(120, SummaryStyle.PARAGRAPH, Locale.GERMAN, 0), engine)).isNotEqualTo(key(plain, engine));
        assertThat(key(TaskSpec.summary(120, SummaryStyle.PARAGRAPH, null, 32), engine)).isNotEqualTo(key(plain, engine));
        assertThat(key(TaskSpec.summary(120, SummaryStyle.BULLETS, null, 0), null)).isNotEqualTo(key(plain, null));
        assertThat(plain.build(null, null, 2048, ResultCache.NONE).profile().task().method()).isEqualTo("extractive");
    }

    @Test
    void aTranslationNeedsAModelAndATarget() {
        TaskSpec toGerman = TaskSpec.translation(Locale.GERMAN, null);
        try (GemmaEngine engine = tiny()) {
            assertThat(toGerman.build(engine, new DirectGenerator(engine, 1), 2048, ResultCache.NONE).profile().task().kind())
                    .isEqualTo(TaskKind.TRANSLATION);
        }
        assertThatThrownBy(() -> toGerman.build(null, null, 2048, ResultCache.NONE)).hasMessageContaining("needs a model");
        assertThatThrownBy(() -> new TaskSpec(TaskKind.TRANSLATION, 0, null, null, 0, " ", null, null, 0)).hasMessageContaining("target language");
        assertThatThrownBy(() -> new TaskSpec(TaskKind.IMAGE, 0, null, null, 0, null, null, null, 0)).hasMessageContaining("not a run's task");
    }

    /** An extraction travels as its schema's name and text and is built the same way everywhere: the same task key. */
    @Test
    void anExtractionIsBuiltFromItsSchemaText() throws Exception {
        String json = "{\"type\": \"object\", \"properties\": {\"total\": {\"type\": \"number\"}}, \"required\": [\"total\"]}";
        var schema = dev.nightshift.pipeline.extract.ExtractionSchema.of("invoice", json);
        TaskSpec spec = TaskSpec.extraction(schema, 128);
        TaskSpec copy = (TaskSpec) new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(serialized(spec))).readObject();
        try (GemmaEngine engine = tiny()) {
            var task = spec.build(engine, new DirectGenerator(engine, 1), 2048, ResultCache.NONE).profile().task();
            assertThat(task.kind()).isEqualTo(TaskKind.EXTRACT);
            assertThat(task.name()).isEqualTo("extract:invoice");
            assertThat(copy.build(engine, new DirectGenerator(engine, 1), 2048, ResultCache.NONE).profile().task().key()).isEqualTo(task.key());
        }
        assertThatThrownBy(() -> spec.build(null, null, 2048, ResultCache.NONE)).hasMessageContaining("needs a model");
        assertThatThrownBy(() -> new TaskSpec(TaskKind.EXTRACT, 0, null, null, 0, null, null, null, 0)).hasMessageContaining("needs a schema");
    }

    private static byte[] serialized(Object o) throws java.io.IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
            out.writeObject(o);
        }
        return bytes.toByteArray();
    }

    @Test
    void itTravelsToSparkExecutorsWhole() throws Exception {
        TaskSpec spec = TaskSpec.summary(80, SummaryStyle.BULLETS, Locale.FRENCH, 16);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(spec);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertThat(in.readObject()).isEqualTo(spec);
        }
    }
}
