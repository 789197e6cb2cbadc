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
 * they fit; a heading starts a new chunk once the current one is half full, and never ends one, so
 * sections stay together. Without overlap, chunks tile the text: every non-blank character lies in
 * exactly one chunk. With {@code overlapTokens}, a chunk also repeats the last pieces of the one before
 * (up to that many tokens), for context. Nothing is cut off silently.
 */
public final class Chunker {
    private final TokenCounter counter;
    private final int maxTokens;
    private final Locale locale;
    private final int overlapTokens;

    public Chunker(TokenCounter counter, int maxTokens, Locale locale) {
        this(counter, maxTokens, locale, 0);
    }

    /** @param overlapTokens how much of the previous chunk's end to repeat, at most half the budget */
    public Chunker(TokenCounter counter, int maxTokens, Locale locale, int overlapTokens) {
        this.counter = Objects.requireNonNull(counter, "counter");
        if (maxTokens < 8) throw new IllegalArgumentException("maxTokens must be at least 8, was " + maxTokens);
        if (overlapTokens < 0 || overlapTokens > maxTokens / 2) {
            throw new IllegalArgumentException("overlap must be between 0 and half of " + maxTokens + " tokens, was " + overlapTokens);
        }
        this.maxTokens = maxTokens;
        this.locale = locale == null ? Locale.ROOT : locale;
        this.overlapTokens = overlapTokens;
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
        if (!pieces.isEmpty()) pieces.get(pieces.size() - 1)[2] = 0; // nothing follows it: not a heading
        return pack(text, pieces);
    }

    private enum Level { PARAGRAPH, SENTENCE, WORD, CHARACTER }

    /** Adds [start, end) to pieces if it fits, otherwise its parts at the next finer level. */
    private void addFitting(String text, int start, int end, List<int[]> pieces, Level level) {
        int[] span = trim(text, start, end);
        if (span == null) return;
        if (counter.count(text.substring(span[0], span[1])) <= maxTokens) {
            pieces.add(new int[] {span[0], span[1], level == Level.PARAGRAPH && isHeading(text, span[0], span[1]) ? 1 : 0});
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
            pieces.add(new int[] {pieceStart, pieceEnd, 0});
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
            int first = i == 0 ? 0 : overlapStart(counts, i);
            int start = pieces.get(first)[0];
            long sum = 0;
            for (int k = first; k <= i; k++) sum += counts[k];
            int j = i + 1;
            while (j < pieces.size() && sum + counts[j] <= maxTokens) {
                if (isHeadingPiece(pieces, j) && sum >= maxTokens / 2) break; // a new section: a new chunk
                sum += counts[j++];
            }
            // A heading belongs with what follows it: do not end a chunk on one.
            while (j - 1 > i && j < pieces.size() && isHeadingPiece(pieces, j - 1)) j--;
            int end = pieces.get(j - 1)[1];
            int tokens = counter.count(text.substring(start, end));
            while (tokens > maxTokens && (j - 1 > i || first < i)) {
                if (first < i) first++; else j--; // give back overlap first, then own pieces
                start = pieces.get(first)[0];
                end = pieces.get(j - 1)[1];
                tokens = counter.count(text.substring(start, end));
            }
            chunks.add(new Chunk(chunks.size(), start, end, tokens, text.substring(start, end)));
            i = j;
        }
        return chunks;
    }

    /** The first piece of the overlap before piece {@code i}: as many preceding pieces as fit in the overlap. */
    private int overlapStart(int[] counts, int i) {
        int first = i;
        long sum = 0;
        while (first > 0 && sum + counts[first - 1] <= overlapTokens) sum += counts[--first];
        return first;
    }

    private static boolean isHeadingPiece(List<int[]> pieces, int k) {
        return pieces.get(k).length > 2 && pieces.get(k)[2] == 1;
    }

    /**
     * A heading as extracted text shows it: a Markdown {@code #} line, or a single short line without
     * closing punctuation ("Results", "3. Methods") followed by more text.
     */
    static boolean isHeading(String text, int start, int end) {
        String s = text.substring(start, end).strip();
        if (s.startsWith("#")) return true;
        if (s.isEmpty() || s.length() > 80 || s.indexOf('\n') >= 0) return false;
        char last = s.charAt(s.length() - 1);
        return ".!?:;,\"'”)".indexOf(last) < 0 && s.chars().anyMatch(Character::isLetter);
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
