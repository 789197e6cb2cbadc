package dev.nightshift.pipeline.chunk;

import dev.nightshift.pipeline.core.Chunk;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

class ChunkerTest {
    /** One token per whitespace-separated word: easy to reason about in tests. */
    static final TokenCounter WORDS = new TokenCounter() {
        @Override
        public int count(String text) {
            String t = text.strip();
            return t.isEmpty() ? 0 : t.split("\\s+").length;
        }

        @Override
        public String name() {
            return "words";
        }
    };

    @Test
    void keepsParagraphsTogetherWhenTheyFit() {
        String text = "One two three.\n\nFour five six.\n\nSeven eight nine.";
        List<Chunk> chunks = new Chunker(WORDS, 8, Locale.ENGLISH).split(text);
        assertThat(chunks).extracting(Chunk::text).containsExactly("One two three.\n\nFour five six.", "Seven eight nine.");
        assertThat(chunks).allSatisfy(c -> assertThat(c.tokenCount()).isLessThanOrEqualTo(8));
    }

    @Test
    void splitsAnOverlongParagraphAtSentencesNotMidWord() {
        String text = "Alpha beta gamma delta. Epsilon zeta eta theta. Iota kappa lambda mu.";
        List<Chunk> chunks = new Chunker(WORDS, 8, Locale.ENGLISH).split(text);
        assertThat(chunks).extracting(Chunk::text)
                .containsExactly("Alpha beta gamma delta. Epsilon zeta eta theta.", "Iota kappa lambda mu.");
    }

    @Test
    void cutsAWordLongerThanTheBudgetRatherThanDroppingIt() {
        TokenCounter perChar = new TokenCounter() {
            public int count(String text) {
                return text.strip().codePointCount(0, text.strip().length());
            }

            public String name() {
                return "chars";
            }
        };
        String blob = "x".repeat(30) + "😀" + "y".repeat(5);
        List<Chunk> chunks = new Chunker(perChar, 8, Locale.ROOT).split(blob);
        assertThat(String.join("", chunks.stream().map(Chunk::text).toList())).isEqualTo(blob);
        assertThat(chunks).allSatisfy(c -> assertThat(c.tokenCount()).isLessThanOrEqualTo(8));
    }

    @Test
    void offsetsPointIntoTheOriginalText() {
        String text = "  Title\n\nFirst paragraph here.\n \n\nSecond one.  ";
        for (Chunk c : new Chunker(WORDS, 8, Locale.ENGLISH).split(text)) {
            assertThat(text.substring(c.charStart(), c.charEnd())).isEqualTo(c.text());
        }
    }

    @Test
    void blankTextGivesNoChunks() {
        assertThat(new Chunker(WORDS, 8, Locale.ENGLISH).split(" \n\n \t")).isEmpty();
    }

    /** Nothing is lost: every non-whitespace character lies in exactly one chunk, in order, within budget. */
    @Property(tries = 1000)
    void chunksTileTheText(@ForAll @StringLength(max = 600) String text, @ForAll @IntRange(min = 8, max = 40) int budget) {
        List<Chunk> chunks = new Chunker(HeuristicTokenCounter.INSTANCE, budget, Locale.ENGLISH).split(text);
        int previousEnd = 0;
        StringBuilder covered = new StringBuilder();
        for (Chunk c : chunks) {
            assertThat(c.charStart()).isGreaterThanOrEqualTo(previousEnd);
            assertThat(text.substring(previousEnd, c.charStart())).isBlank();
            assertThat(c.tokenCount()).isLessThanOrEqualTo(budget);
            covered.append(c.text());
            previousEnd = c.charEnd();
        }
        assertThat(text.substring(previousEnd)).isBlank();
        assertThat(withoutWhitespace(covered.toString())).isEqualTo(withoutWhitespace(text));
    }

    /** Whitespace as Java defines it (which includes controls such as U+001C that regex \\s leaves alone). */
    private static String withoutWhitespace(String s) {
        StringBuilder out = new StringBuilder();
        s.codePoints().filter(cp -> !Character.isWhitespace(cp)).forEach(out::appendCodePoint);
        return out.toString();
    }
}
