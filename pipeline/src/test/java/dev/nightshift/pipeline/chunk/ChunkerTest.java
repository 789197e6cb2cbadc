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
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
    void aHeadingStartsANewChunkOnceTheCurrentOneIsHalfFull() {
        String text = "Introduction\n\nOne two three four five six.\n\nMethods\n\nSeven eight nine ten.";
        List<Chunk> chunks = new Chunker(WORDS, 12, Locale.ENGLISH).split(text);
        // Without the rule the first chunk would take "Methods" too (7 + 1 words fit in 12).
        assertThat(chunks).extracting(Chunk::text)
                .containsExactly("Introduction\n\nOne two three four five six.", "Methods\n\nSeven eight nine ten.");
    }

    @Test
    void aHeadingNeverEndsAChunk() {
        String text = "Alpha beta gamma delta epsilon.\n\nResults\n\nZeta eta theta iota kappa lambda.";
        List<Chunk> chunks = new Chunker(WORDS, 8, Locale.ENGLISH).split(text);
        assertThat(chunks).extracting(Chunk::text)
                .containsExactly("Alpha beta gamma delta epsilon.", "Results\n\nZeta eta theta iota kappa lambda.");
    }

    @Test
    void headingsAreShortLinesWithoutClosingPunctuation() {
        assertThat(Chunker.isHeading("3. Methods", 0, 10)).isTrue();
        assertThat(Chunker.isHeading("## Results", 0, 10)).isTrue();
        assertThat(Chunker.isHeading("This is a sentence.", 0, 19)).isFalse();
        assertThat(Chunker.isHeading("1998", 0, 4)).isFalse();
    }

    @Test
    void overlapRepeatsTheEndOfThePreviousChunk() {
        String text = "One two. Three four. Five six. Seven eight. Nine ten. Eleven twelve.";
        List<Chunk> chunks = new Chunker(WORDS, 8, Locale.ENGLISH, 2).split(text);
        assertThat(chunks.size()).isGreaterThan(1);
        for (int k = 1; k < chunks.size(); k++) {
            assertThat(chunks.get(k).charStart()).isLessThan(chunks.get(k - 1).charEnd());
            assertThat(chunks.get(k).tokenCount()).isLessThanOrEqualTo(8);
        }
        assertThat(chunks.get(chunks.size() - 1).charEnd()).isEqualTo(text.length());
        assertThatThrownBy(() -> new Chunker(WORDS, 8, Locale.ENGLISH, 5)).isInstanceOf(IllegalArgumentException.class);
    }

    /** With overlap, chunks still cover every character and stay within budget; they only repeat some. */
    @Property(tries = 300)
    void overlappingChunksCoverTheText(@ForAll @StringLength(max = 400) String text, @ForAll @IntRange(min = 16, max = 40) int budget) {
        List<Chunk> chunks = new Chunker(HeuristicTokenCounter.INSTANCE, budget, Locale.ENGLISH, budget / 4).split(text);
        int coveredUpTo = 0;
        for (Chunk c : chunks) {
            assertThat(text.substring(coveredUpTo, Math.max(coveredUpTo, c.charStart()))).isBlank();
            assertThat(c.tokenCount()).isLessThanOrEqualTo(budget);
            coveredUpTo = Math.max(coveredUpTo, c.charEnd());
        }
        assertThat(text.substring(coveredUpTo)).isBlank();
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
