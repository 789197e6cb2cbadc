package dev.nightshift.pipeline.summarize;

import dev.nightshift.pipeline.task.ChunkingSpec;
import dev.nightshift.pipeline.task.ResultCache;
import dev.nightshift.pipeline.chunk.Chunker;
import dev.nightshift.pipeline.core.Chunk;
import dev.nightshift.pipeline.core.InputRef;
import dev.nightshift.pipeline.core.OutputDraft;
import dev.nightshift.pipeline.core.OutputOrigin;
import dev.nightshift.pipeline.llm.model.Dtype;
import dev.nightshift.pipeline.llm.GemmaEngine;
import dev.nightshift.pipeline.llm.SamplingParams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The tiny model's text is nonsense; the tree's shape, lineage and token budgets are exact. */
class ModelSummarizerTest {
    static GemmaEngine engine;

    @BeforeAll
    static void load() {
        engine = GemmaEngine.load(Path.of("src/test/resources/models/tiny-gemma3").toAbsolutePath(), Dtype.FP32, 2);
    }

    @AfterAll
    static void close() {
        engine.close();
    }

    @Test
    void aShortDocumentIsOneFinalOutput() {
        ModelSummarizer s = new ModelSummarizer(engine, 10, 1024, 4, SamplingParams.GREEDY);
        String text = "The library lent more books this year than ever before.";
        List<OutputDraft> tree = s.process(List.of(new Chunk(0, 0, text.length(), 12, text)), Locale.ENGLISH).outputs();
        assertThat(tree).singleElement().satisfies(o -> {
            assertThat(o.isFinal()).isTrue();
            assertThat(o.inputs()).containsExactly(InputRef.chunk(0));
            assertThat(o.generatedTokens()).isBetween(1, 20);
            assertThat(o.promptTokens()).isPositive();
            assertThat(o.origin()).isIn(OutputOrigin.STOP, OutputOrigin.LENGTH);
        });
    }

    @Test
    void aLongDocumentBecomesATreeWhoseCallsAllFitTheBudget() {
        int budget = 400;
        ModelSummarizer s = new ModelSummarizer(engine, 10, budget, 3, SamplingParams.GREEDY);
        String text = IntStream.range(0, 60).mapToObj(i -> "Paragraph " + i + " reports on the harbour, its ships, "
                + "the cargo they carried and the weather in week " + i + ".").collect(Collectors.joining("\n\n"));
        ChunkingSpec spec = s.chunking();
        List<Chunk> chunks = new Chunker(spec.counter(), spec.maxTokens(), Locale.ENGLISH).split(text);
        assertThat(chunks.size()).isGreaterThan(3);
        assertThat(chunks).allSatisfy(c -> assertThat(c.tokenCount()).isLessThanOrEqualTo(spec.maxTokens()));

        List<OutputDraft> tree = s.process(chunks, Locale.ENGLISH).outputs();
        assertThat(tree.stream().filter(OutputDraft::isFinal)).hasSize(1);
        assertThat(tree.get(tree.size() - 1).isFinal()).isTrue();
        assertThat(tree.get(tree.size() - 1).level()).isGreaterThanOrEqualTo(1);
        // Every chunk is read by exactly one level-0 node, and every node but the root is read by one parent.
        Set<Integer> chunksRead = new HashSet<>();
        int[] parents = new int[tree.size()];
        for (OutputDraft o : tree) {
            assertThat(o.promptTokens() + o.generatedTokens()).isLessThanOrEqualTo(budget);
            for (InputRef in : o.inputs()) {
                if (in.kind() == InputRef.Kind.CHUNK) assertThat(chunksRead.add(in.index())).isTrue();
                else parents[in.index()]++;
            }
        }
        assertThat(chunksRead).hasSize(chunks.size());
        for (int i = 0; i < tree.size() - 1; i++) assertThat(parents[i]).as("node " + i).isEqualTo(1);
    }

    @Test
    void aDocumentLongerThanTheContextIsFullyCoveredByItsChunks() {
        ModelSummarizer s = new ModelSummarizer(engine, 20, 2048, 4, SamplingParams.GREEDY);
        String text = IntStream.range(0, 400).mapToObj(i -> "Section " + i + "\n\nThe archive of year " + (1900 + i)
                + " holds letters, invoices and reports; überprüft am " + i + ". März. 日本語のテキスト " + i + ".")
                .collect(Collectors.joining("\n\n"));
        assertThat(engine.tokenizer().count(text)).isGreaterThan(engine.config().contextLength());
        ChunkingSpec spec = s.chunking();
        List<Chunk> chunks = new Chunker(spec.counter(), spec.maxTokens(), Locale.ENGLISH).split(text);
        StringBuilder covered = new StringBuilder();
        int previousEnd = 0;
        for (Chunk c : chunks) {
            assertThat(c.tokenCount()).isEqualTo(engine.tokenizer().count(c.text())).isLessThanOrEqualTo(spec.maxTokens());
            assertThat(text.substring(previousEnd, c.charStart())).isBlank();
            covered.append(c.text());
            previousEnd = c.charEnd();
        }
        assertThat(text.substring(previousEnd)).isBlank();
        assertThat(covered.toString().replaceAll("\\s", "")).isEqualTo(text.replaceAll("\\s", ""));
    }

    @Test
    void theTaskRecordsModelPromptAndParameters() {
        var task = new ModelSummarizer(engine, 50, 1024, 4, SamplingParams.GREEDY).task();
        assertThat(task.method()).isEqualTo("model");
        assertThat(task.model()).contains("tiny-gemma3").contains("fp32");
        assertThat(task.modelDigest()).hasSize(64);
        assertThat(task.promptName()).isEqualTo("summarize-chunk+summarize-combine");
        assertThat(task.promptVersion()).isEqualTo("2+2");
        assertThat(task.parameters()).containsEntry("style", "paragraph").containsEntry("language", "document");
        var german = new ModelSummarizer(engine, 50, SummaryStyle.BULLETS, java.util.Locale.GERMAN, 1024, 4,
                SamplingParams.GREEDY, ResultCache.NONE).task();
        assertThat(german.parameters()).containsEntry("style", "bullets").containsEntry("language", "de");
        assertThat(german.key()).isNotEqualTo(task.key());
        assertThat(task.promptHash()).hasSize(64);
        assertThat(task.parameters()).containsEntry("words", "50").containsEntry("temperature", "0.0");
        assertThat(task.key()).isNotEqualTo(new ModelSummarizer(engine, 60, 1024, 4, SamplingParams.GREEDY).task().key());
    }

    @Test
    void aBudgetTooSmallForTheSummaryIsRefused() {
        assertThatThrownBy(() -> new ModelSummarizer(engine, 200, 300, 4, SamplingParams.GREEDY))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("too little room");
    }
}
