package dev.nightshift.pipeline.summarize;

import dev.nightshift.pipeline.chunk.Chunker;
import dev.nightshift.pipeline.core.Chunk;
import dev.nightshift.pipeline.core.InputRef;
import dev.nightshift.pipeline.core.OutputDraft;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TextRankSummarizerTest {
    private static List<Chunk> oneChunk(String text) {
        return List.of(new Chunk(0, 0, text.length(), 1, text));
    }

    @Test
    void prefersTheSentencesThatShareMostWithTheRest() {
        String text = "The library lent many books this year. "
                + "Volunteers at the library helped readers with books. "
                + "Pizza is popular in Naples. "
                + "The library plans to lend more books to young readers.";
        List<OutputDraft> tree = new TextRankSummarizer(10).process(oneChunk(text), Locale.ENGLISH).outputs();
        assertThat(tree).hasSize(1);
        assertThat(tree.get(0).text()).contains("library").doesNotContain("Pizza");
        assertThat(tree.get(0).isFinal()).isTrue();
        assertThat(tree.get(0).inputs()).containsExactly(InputRef.chunk(0));
    }

    @Test
    void aMailsHeaderLinesAreNoSentencesToPick() {
        String header = dev.nightshift.pipeline.core.MailHeader.of("Amira Haddad <amira@example.org>", "board@example.org", null,
                "2026-03-15 (UTC)", "Minutes of the parents' council");
        assertThat(header).isEqualTo("From: Amira Haddad <amira@example.org>\nTo: board@example.org\nDate: 2026-03-15 (UTC)\n"
                + "Subject: Minutes of the parents' council\n\n");
        String mail = header + "Minutes of the parents' council. The council asks for a speed limit on Mill Street.";
        assertThat(dev.nightshift.pipeline.core.MailHeader.length(mail)).isEqualTo(header.length());
        assertThat(dev.nightshift.pipeline.core.MailHeader.length("From: a line of a letter\nthat goes on.\n\nBody.")).isZero();
        List<String> sentences = TextRankSummarizer.sentences(mail, java.util.Locale.ENGLISH);
        assertThat(sentences).containsExactly("Minutes of the parents' council.", "The council asks for a speed limit on Mill Street.");
    }

    @Test
    void keepsDocumentOrderAndTheWordBudget() {
        String text = IntStream.range(0, 30)
                .mapToObj(i -> "Sentence " + i + " talks about rivers, ships and water levels" + (i % 3 == 0 ? " and harbours." : "."))
                .collect(Collectors.joining(" "));
        String summary = new TextRankSummarizer(40).process(oneChunk(text), Locale.ENGLISH).outputs().get(0).text();
        assertThat(TextRankSummarizer.wordCount(summary)).isLessThanOrEqualTo(40);
        List<Integer> numbers = java.util.regex.Pattern.compile("Sentence (\\d+)").matcher(summary).results()
                .map(m -> Integer.parseInt(m.group(1))).toList();
        assertThat(numbers).isSorted().isNotEmpty();
    }

    @Test
    void isDeterministic() {
        String text = "A cat sat. A dog sat. A bird sang. The cat and the dog sat together.";
        var s = new TextRankSummarizer(8);
        // Everything but the time it took.
        assertThat(s.process(oneChunk(text), Locale.ENGLISH).outputs()).usingRecursiveFieldByFieldElementComparatorIgnoringFields("durationMs")
                .containsExactlyElementsOf(s.process(oneChunk(text), Locale.ENGLISH).outputs());
    }

    @Test
    void summarizesALongDocumentAsATreeWithLineage() {
        String paragraph = IntStream.range(0, 60)
                .mapToObj(i -> "Topic " + (i % 7) + " is discussed in sentence number " + i + " of this long report.")
                .collect(Collectors.joining(" "));
        String text = IntStream.range(0, 10).mapToObj(i -> paragraph).collect(Collectors.joining("\n\n"));
        var summarizer = new TextRankSummarizer(50);
        List<Chunk> chunks = new Chunker(summarizer.chunking().counter(), summarizer.chunking().maxTokens(), Locale.ENGLISH).split(text);
        assertThat(chunks.size()).isGreaterThan(1);
        List<OutputDraft> tree = summarizer.process(chunks, Locale.ENGLISH).outputs();
        assertThat(tree).hasSize(chunks.size() + 1);
        OutputDraft root = tree.get(tree.size() - 1);
        assertThat(root.isFinal()).isTrue();
        assertThat(root.level()).isEqualTo(1);
        assertThat(root.inputs()).allSatisfy(in -> assertThat(in.kind()).isEqualTo(InputRef.Kind.OUTPUT));
        assertThat(tree.subList(0, chunks.size())).allSatisfy(n -> {
            assertThat(n.isFinal()).isFalse();
            assertThat(n.inputs()).singleElement().extracting(InputRef::kind).isEqualTo(InputRef.Kind.CHUNK);
        });
        assertThat(TextRankSummarizer.wordCount(root.text())).isLessThanOrEqualTo(50);
    }

    /**
     * A very long text is reduced level by level, no graph over more than a bounded number of sentences:
     * the picks of its hundreds of chunks used to be ranked as one graph of tens of thousands of sentences
     * (81 s for 10 MB of changelogs, 2.6 s now). Every node's inputs are the level below it.
     */
    @Test
    void aVeryLongTextIsReducedLevelByLevel() {
        String text = IntStream.range(0, 20_000)
                .mapToObj(i -> "Release " + i + " fixed bug " + (i * 7 % 1000) + " in module " + (i % 37) + " and updated the manual.")
                .collect(Collectors.joining(" "));
        var summarizer = new TextRankSummarizer(60);
        List<Chunk> chunks = new Chunker(summarizer.chunking().counter(), summarizer.chunking().maxTokens(), Locale.ENGLISH).split(text);
        List<OutputDraft> tree = summarizer.process(chunks, Locale.ENGLISH).outputs();
        OutputDraft root = tree.get(tree.size() - 1);
        assertThat(root.isFinal()).isTrue();
        assertThat(root.level()).isGreaterThanOrEqualTo(2);
        for (int i = 0; i < tree.size(); i++) {
            OutputDraft n = tree.get(i);
            if (n.level() == 0) continue;
            for (InputRef in : n.inputs()) {
                assertThat(in.kind()).isEqualTo(InputRef.Kind.OUTPUT);
                assertThat(tree.get(in.index()).level()).as("node %d reads the level below it", i).isEqualTo(n.level() - 1);
            }
            // A group is two nodes at least, and no more than the flat bound's worth of their picks.
            assertThat(n.inputs().size()).isGreaterThanOrEqualTo(n.isFinal() ? 1 : 2);
        }
        assertThat(TextRankSummarizer.wordCount(root.text())).isLessThanOrEqualTo(60);
    }

    /** A text without sentence ends (a log or a table on one line) is bounded in characters too, cut between words. */
    @Test
    void aSummaryStaysWithinItsBudgetInCharactersToo() {
        String oneLine = IntStream.range(0, 50_000).mapToObj(i -> "field" + i + "=value" + i).collect(Collectors.joining(" "));
        String summary = new TextRankSummarizer(120).process(oneChunk(oneLine), Locale.ROOT).outputs().get(0).text();
        assertThat(summary.length()).isLessThanOrEqualTo(120 * TextRankSummarizer.CHARS_PER_WORD + 2);
        assertThat(summary).endsWith(" …").doesNotContain("  ");
        assertThat(oneLine).startsWith(summary.substring(0, summary.length() - 2)); // cut at a word boundary
        assertThat(oneLine.charAt(summary.length() - 2)).isEqualTo(' ');

        String noSpaces = "x".repeat(1_000_000);
        String dense = new TextRankSummarizer(120).process(oneChunk(noSpaces), Locale.ROOT).outputs().get(0).text();
        assertThat(dense.length()).isLessThanOrEqualTo(120 * TextRankSummarizer.CHARS_PER_WORD + 2);
    }

    @Test
    void taskKeyChangesWithTheLength() {
        assertThat(new TextRankSummarizer(50).task().key()).isNotEqualTo(new TextRankSummarizer(60).task().key());
        assertThat(new TextRankSummarizer(50).task().key()).isEqualTo(new TextRankSummarizer(50).task().key());
    }

    @Test
    void refusesNonsenseSettingsAndEmptyInput() {
        assertThatThrownBy(() -> new TextRankSummarizer(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TextRankSummarizer(20).process(List.of(), Locale.ROOT).outputs())
                .isInstanceOf(IllegalArgumentException.class);
    }
}
