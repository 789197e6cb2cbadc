package dev.nightshift.pipeline.translate;

import dev.nightshift.pipeline.chunk.Chunker;
import dev.nightshift.pipeline.core.Chunk;
import dev.nightshift.pipeline.core.Extraction;
import dev.nightshift.pipeline.core.ExtractionStatus;
import dev.nightshift.pipeline.core.InputHash;
import dev.nightshift.pipeline.core.InputRef;
import dev.nightshift.pipeline.core.OutputDraft;
import dev.nightshift.pipeline.core.OutputOrigin;
import dev.nightshift.pipeline.llm.model.Dtype;
import dev.nightshift.pipeline.llm.GemmaEngine;
import dev.nightshift.pipeline.llm.SamplingParams;
import dev.nightshift.pipeline.task.TaskOutput;
import dev.nightshift.pipeline.task.ChunkingSpec;
import dev.nightshift.pipeline.task.ResultCache;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The tiny model's words are nonsense; structure, lineage, budgets and the prompt formats are exact. */
class ModelTranslatorTest {
    static final Path TINY = Path.of("src/test/resources/models/tiny-gemma3").toAbsolutePath();
    static GemmaEngine engine;

    @BeforeAll
    static void load() {
        engine = GemmaEngine.load(TINY, Dtype.FP32, 2);
    }

    @AfterAll
    static void close() {
        engine.close();
    }

    private static ModelTranslator toGerman(int budget, ResultCache cache) {
        return new ModelTranslator(engine, Locale.GERMAN, null, budget, 4, SamplingParams.GREEDY, cache);
    }

    private static List<Chunk> chunks(ModelTranslator t, String text) {
        ChunkingSpec spec = t.chunking();
        return new Chunker(spec.counter(), spec.maxTokens(), Locale.ENGLISH, spec.overlapTokens()).split(text);
    }

    @Test
    void aTranslationKeepsTheDocumentsStructure() {
        ModelTranslator t = toGerman(1024, ResultCache.NONE);
        String text = "# Opening hours\n\nThe library opens at nine.\n\n- Monday to Friday\n- 12 new staff\n\nTotal\t1,200\n";
        List<OutputDraft> out = t.process(chunks(t, text), Locale.ENGLISH).outputs();
        assertThat(out).singleElement().satisfies(o -> {
            assertThat(o.isFinal()).isTrue();
            assertThat(o.inputs()).containsExactly(InputRef.chunk(0));
            assertThat(o.origin()).isIn(OutputOrigin.STOP, OutputOrigin.LENGTH);
            assertThat(o.generatedTokens()).isPositive();
        });
        String translated = out.get(0).text();
        List<String> lines = translated.lines().toList();
        // Same lines, blank where the original is blank, with the original's markers and numbers.
        assertThat(lines).hasSize((int) text.lines().count());
        assertThat(lines.get(0)).startsWith("# ");
        assertThat(lines.get(1)).isEmpty();
        assertThat(lines.get(3)).isEmpty();
        assertThat(lines.get(4)).startsWith("- ");
        assertThat(lines.get(5)).startsWith("- ");
        assertThat(lines.get(7)).endsWith("\t1,200");
    }

    @Test
    void aLongDocumentIsTranslatedChunkByChunkWithinTheBudgetAndJoinedAtTheEnd() {
        int budget = 600;
        ModelTranslator t = toGerman(budget, ResultCache.NONE);
        String text = IntStream.range(0, 40).mapToObj(i -> "Paragraph " + i + " tells of the harbour and its ships in week " + i + ".")
                .collect(Collectors.joining("\n\n"));
        List<Chunk> chunks = chunks(t, text);
        assertThat(chunks.size()).isGreaterThan(2);
        List<OutputDraft> out = t.process(chunks, Locale.ENGLISH).outputs();
        assertThat(out).hasSize(chunks.size() + 1);
        for (int i = 0; i < chunks.size(); i++) {
            OutputDraft o = out.get(i);
            assertThat(o.level()).isZero();
            assertThat(o.isFinal()).isFalse();
            assertThat(o.inputs()).containsExactly(InputRef.chunk(chunks.get(i).seq()));
            // Every paragraph comes back as one paragraph.
            assertThat(o.text().split("\n\n")).hasSize(chunks.get(i).text().split("\n\n").length);
        }
        OutputDraft whole = out.get(out.size() - 1);
        assertThat(whole.isFinal()).isTrue();
        assertThat(whole.level()).isEqualTo(1);
        assertThat(whole.inputs()).containsExactlyElementsOf(IntStream.range(0, chunks.size()).mapToObj(InputRef::output).toList());
        assertThat(whole.text().split("\n\n")).hasSize(40);
        // Pieces are at most a third of what the prompt leaves, so each call fits the budget.
        assertThat(t.chunking().maxTokens()).isLessThan(budget / 3);
    }

    @Test
    void aDocumentAlreadyInTheTargetLanguageIsPassedOverAndKeptAsItIs() {
        ModelTranslator t = toGerman(1024, ResultCache.NONE);
        TaskOutput german = t.process(chunks(t, "Der Rhein ist lang."), Locale.GERMAN);
        assertThat(german.passedOver()).isEqualTo("already in German (de)");
        List<OutputDraft> out = german.outputs();
        assertThat(out).singleElement().satisfies(o -> {
            assertThat(o.text()).isEqualTo("Der Rhein ist lang.");
            assertThat(o.origin()).isEqualTo(OutputOrigin.SAME_LANGUAGE);
        });
    }

    @Test
    void aChunkTranslatedBeforeUnderTheSameTaskComesFromTheCache() {
        String text = "The ferry leaves at noon.";
        String key = toGerman(1024, ResultCache.NONE).task().key();
        ModelTranslator t = toGerman(1024, (taskKey, inputHash) ->
                taskKey.equals(key) && inputHash.equals(InputHash.ofChunks(List.of(text))) ? Optional.of("Die Fähre fährt mittags.") : Optional.empty());
        assertThat(t.process(chunks(t, text), Locale.ENGLISH).outputs()).singleElement().satisfies(o -> {
            assertThat(o.text()).isEqualTo("Die Fähre fährt mittags.");
            assertThat(o.origin()).isEqualTo(OutputOrigin.CACHED);
        });
    }

    @Test
    void otherModelsGetTheVersionedPromptNamingBothLanguages() {
        ModelTranslator t = toGerman(1024, ResultCache.NONE);
        assertThat(t.usesTranslateGemmaPrompt()).isFalse();
        assertThat(t.task().promptName()).isEqualTo("translate");
        assertThat(t.task().name()).isEqualTo("translation:de");
        assertThat(t.prompt(Locale.FRENCH, "Bonjour.")).contains("Translate the following French text into German").contains("Bonjour.");
        assertThat(t.prompt(Locale.ROOT, "Bonjour.")).contains("Translate the following text into German");
    }

    @Test
    void theSameLanguageOnBothSidesIsRefused() {
        assertThatThrownBy(() -> new ModelTranslator(engine, Locale.GERMAN, Locale.GERMAN, 1024, 4, SamplingParams.GREEDY, ResultCache.NONE))
                .hasMessageContaining("same");
    }

    /**
     * A model folder whose chat template is shaped like TranslateGemma's: it builds the instruction from
     * the language codes in the message and refuses a plain string.
     */
    @Test
    void translateGemmaTemplatesGetTheLanguageCodesInTheirOwnFormat(@TempDir Path dir) throws IOException {
        Path folder = copy(TINY, dir.resolve("translategemma"));
        Files.writeString(folder.resolve("chat_template.jinja"), """
                {%- if messages[0]['content'] is string -%}{{ raise_exception("content must be a list") }}{%- endif -%}
                {%- set c = messages[0]['content'][0] -%}
                {%- set names = {"en": "English", "de": "German", "fr": "French"} -%}
                {{ bos_token }}<start_of_turn>user
                You are a professional {{ names[c['source_lang_code']] }} ({{ c['source_lang_code'] }}) to {{ names[c['target_lang_code']] }} ({{ c['target_lang_code'] }}) translator. Please translate the following {{ names[c['source_lang_code']] }} text into {{ names[c['target_lang_code']] }}:


                {{ c['text'] | trim }}<end_of_turn>
                <start_of_turn>model
                """);
        try (GemmaEngine tg = GemmaEngine.load(folder, Dtype.FP32, 2)) {
            ModelTranslator t = new ModelTranslator(tg, Locale.GERMAN, null, 1024, 4, SamplingParams.GREEDY, ResultCache.NONE);
            assertThat(t.usesTranslateGemmaPrompt()).isTrue();
            assertThat(t.task().promptName()).isEqualTo("translategemma-chat-template");
            assertThat(t.prompt(Locale.ENGLISH, "The ferry.")).contains("English (en) to German (de) translator").endsWith(
                    "The ferry.<end_of_turn>\n<start_of_turn>model\n");
            List<OutputDraft> out = t.process(new Chunker(tg.tokenizer(), t.chunking().maxTokens(), Locale.ENGLISH).split("The ferry leaves."),
                    Locale.ENGLISH).outputs();
            assertThat(out).singleElement().satisfies(o -> assertThat(o.generatedTokens()).isPositive());
            // TranslateGemma must be told the source language; an undetected one is a clear failure.
            assertThatThrownBy(() -> t.process(new Chunker(tg.tokenizer(), 100, Locale.ROOT).split("1234 abc"), Locale.ROOT).outputs())
                    .hasMessageContaining("--from");
        }
    }

    private static Path copy(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(target);
                else Files.copy(p, target);
            }
        }
        return to;
    }

    @Test
    void segmentsOfAFileAskToKeepTheirTagsAndFirmlyNameThemOnTheSecondTry() {
        ModelTranslator t = toGerman(1024, ResultCache.NONE);
        String segment = "Read <g1>the report</g1> today<x2/>.";
        String first = t.segmentPrompt(Locale.ENGLISH, segment, "", false);
        assertThat(first).contains("Translate the following English text into German.")
                .contains("keep each of them exactly once").contains(segment).doesNotContain("  ");
        assertThat(t.segmentPrompt(Locale.ENGLISH, segment, "", true)).contains("exactly once, around the words they mark, and no other tags: <g1> </g1> <x2/>.");
        // Without tags, no word about them.
        assertThat(t.segmentPrompt(Locale.ENGLISH, "Read the report.", "", false)).doesNotContain("tag").doesNotContain("  ");
        // The glossary's sentence goes in before the rule to write only the translation.
        assertThat(t.segmentPrompt(Locale.ENGLISH, "Read the report.", "Translate \"report\" as \"Bericht\".", false))
                .contains("as they are. Translate \"report\" as \"Bericht\". Write only the German translation");

        String tooLong = "word ".repeat(2000);
        List<String> out = t.translateSegments(List.of(segment, tooLong, "Harbour news"), List.of("", "", ""), Locale.ENGLISH, false);
        assertThat(out).hasSize(3);
        assertThat(out.get(0)).isNotEqualTo(segment); // the model's (nonsense) words
        assertThat(out.get(1)).isEqualTo(tooLong); // too long for one call: back as it was, for the caller to flag
        assertThat(out.get(2)).isNotEqualTo("Harbour news");
    }
}
