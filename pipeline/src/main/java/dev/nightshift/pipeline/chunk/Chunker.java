package dev.nightshift.pipeline.chunk;

import dev.nightshift.pipeline.core.Chunk;

import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Cuts text into chunks of at most {@code maxTokens} tokens by structure: paragraphs first (blank
 * lines), then sentences (language-aware, {@link BreakIterator}), then words, and only as a last
 * resort inside a word that alone exceeds the budget. Neighbouring pieces are packed together while
 * they fit. Chunks tile the text: every non-blank character lies in exactly one chunk, and the
 * whitespace between chunks is the only thing left out. Nothing is cut off silently.
 */
public final class Chunker {
    private final TokenCounter counter;
    private final int maxTokens;
    private final Locale locale;

    public Chunker(TokenCounter counter, int maxTokens, Locale locale) {
        this.counter = Objects.requireNonNull(counter, "counter");
        if (maxTokens < 8) throw new IllegalArgumentException("maxTokens must be at least 8, was " + maxTokens);
        this.maxTokens = maxTokens;
        this.locale = locale == null ? Locale.ROOT : locale;
    }

    public int maxTokens() {
        return maxTokens;
    }

    public TokenCounter counter() {
        return counter;
    }

    public List<Chunk> split(String text) {
        List<int[]> pieces = new ArrayList<>();
        for (int[] paragraph : paragraphs(text)) {
            addFitting(text, paragraph[0], paragraph[1], pieces, Level.PARAGRAPH);
        }
        return pack(text, pieces);
    }

    private enum Level { PARAGRAPH, SENTENCE, WORD, CHARACTER }

    /** Adds [start, end) to pieces if it fits, otherwise its parts at the next finer level. */
    private void addFitting(String text, int start, int end, List<int[]> pieces, Level level) {
        int[] span = trim(text, start, end);
        if (span == null) return;
        if (counter.count(text.substring(span[0], span[1])) <= maxTokens) {
            pieces.add(span);
            return;
        }
        switch (level) {
            case PARAGRAPH -> {
                for (int[] s : breaks(text, span[0], span[1], BreakIterator.getSentenceInstance(locale))) {
                    addFitting(text, s[0], s[1], pieces, Level.SENTENCE);
                }
            }
            case SENTENCE -> {
                for (int[] s : breaks(text, span[0], span[1], BreakIterator.getLineInstance(locale))) {
                    addFitting(text, s[0], s[1], pieces, Level.WORD);
                }
            }
            case WORD, CHARACTER -> splitByCharacters(text, span[0], span[1], pieces);
        }
    }

    /** A single "word" longer than the budget (a base64 blob, a long URL): cut between code points. */
    private void splitByCharacters(String text, int start, int end, List<int[]> pieces) {
        int pieceStart = start;
        while (pieceStart < end) {
            // Binary search for the most code points that fit; at least one per piece.
            int lo = 1;
            int hi = text.codePointCount(pieceStart, end);
            while (lo < hi) {
                int mid = (lo + hi + 1) >>> 1;
                int midEnd = text.offsetByCodePoints(pieceStart, mid);
                if (counter.count(text.substring(pieceStart, midEnd)) <= maxTokens) lo = mid; else hi = mid - 1;
            }
            int pieceEnd = text.offsetByCodePoints(pieceStart, lo);
            pieces.add(new int[] {pieceStart, pieceEnd});
            pieceStart = pieceEnd;
        }
    }

    /**
     * Greedy packing of consecutive pieces while they fit. Each piece is counted once and the counts
     * summed (counting the growing chunk again for every piece was quadratic); the chosen span is then
     * counted exactly once, and if joining pieces cost extra tokens at their seams, pieces are given back
     * until the exact count fits. Every piece fits on its own, so a chunk always has at least one.
     */
    private List<Chunk> pack(String text, List<int[]> pieces) {
        int[] counts = new int[pieces.size()];
        for (int k = 0; k < counts.length; k++) counts[k] = counter.count(text.substring(pieces.get(k)[0], pieces.get(k)[1]));
        List<Chunk> chunks = new ArrayList<>();
        int i = 0;
        while (i < pieces.size()) {
            int start = pieces.get(i)[0];
            long sum = counts[i];
            int j = i + 1;
            while (j < pieces.size() && sum + counts[j] <= maxTokens) sum += counts[j++];
            int end = pieces.get(j - 1)[1];
            int tokens = counter.count(text.substring(start, end));
            while (tokens > maxTokens && j - 1 > i) {
                j--;
                end = pieces.get(j - 1)[1];
                tokens = counter.count(text.substring(start, end));
            }
            chunks.add(new Chunk(chunks.size(), start, end, tokens, text.substring(start, end)));
            i = j;
        }
        return chunks;
    }

    private static List<int[]> paragraphs(String text) {
        List<int[]> result = new ArrayList<>();
        int start = 0;
        int i = 0;
        while (i < text.length()) {
            if (text.charAt(i) == '\n') {
                int j = i + 1;
                while (j < text.length() && (text.charAt(j) == ' ' || text.charAt(j) == '\t' || text.charAt(j) == '\r')) j++;
                if (j < text.length() && text.charAt(j) == '\n') {
                    result.add(new int[] {start, i});
                    while (j < text.length() && Character.isWhitespace(text.charAt(j))) j++;
                    start = j;
                    i = j;
                    continue;
                }
            }
            i++;
        }
        result.add(new int[] {start, text.length()});
        return result;
    }

    private static List<int[]> breaks(String text, int start, int end, BreakIterator iterator) {
        List<int[]> result = new ArrayList<>();
        iterator.setText(text.substring(start, end));
        int from = iterator.first();
        for (int to = iterator.next(); to != BreakIterator.DONE; from = to, to = iterator.next()) {
            result.add(new int[] {start + from, start + to});
        }
        return result;
    }

    /** The span without leading and trailing whitespace, or null if nothing is left. */
    private static int[] trim(String text, int start, int end) {
        while (start < end && Character.isWhitespace(text.charAt(start))) start++;
        while (end > start && Character.isWhitespace(text.charAt(end - 1))) end--;
        return start < end ? new int[] {start, end} : null;
    }
}
