package dev.nightshift.pipeline.ground;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Splits text into sentences with their offsets. A sentence ends at {@code . ! ?} (and the CJK full stops)
 * followed by space, at a blank line, and at a line break before a list item or a heading; not after an
 * abbreviation ("Ms.", "e.g.", "z.B."), an initial ("J. Smith"), or inside a number ("3.5", "31.03.2027").
 * Headings and list items are sentences of their own: a summary's bullet is checked like a sentence.
 */
public final class Sentences {
    private Sentences() {
    }

    /** Words that end with a full stop without ending a sentence, lower case, without the stop. */
    private static final Set<String> ABBREVIATIONS = Set.of(
            "mr", "mrs", "ms", "dr", "prof", "st", "no", "nr", "vs", "etc", "e.g", "i.e", "cf", "fig", "approx", "inc", "ltd",
            "co", "corp", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "z.b", "d.h",
            "u.a", "bzw", "ca", "vgl", "usw", "hr", "fr", "mme", "mlle", "env", "sr", "sra", "p", "pp", "vol", "art", "abs");

    public static List<Span> split(String text) {
        List<Span> out = new ArrayList<>();
        int n = text.length();
        int start = 0;
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            boolean end = false;
            int next = i + 1;
            if (c == '\n') {
                // A blank line (spaces, tabs and form feeds count as blank: GNU NEWS files separate releases
                // with a ^L line), or a new line that starts a list item or heading, ends what came before.
                int j = i + 1;
                while (j < n && text.charAt(j) != '\n' && Character.isWhitespace(text.charAt(j))) j++;
                if (j >= n || text.charAt(j) == '\n' || separator(text, j) || startsItem(text, j) || endsLine(text, start, i)) end = true;
            } else if (c == '。' || c == '！' || c == '？') {
                end = true;
            } else if ((c == '.' || c == '!' || c == '?' || c == '…') && (next >= n || Character.isWhitespace(text.charAt(next))
                    || isCloser(text.charAt(next)))) {
                while (next < n && isCloser(text.charAt(next))) next++;
                end = next >= n || Character.isWhitespace(text.charAt(next));
                if (end && c == '.' && notAnEnd(text, start, i, next)) end = false;
                if (end) i = next - 1;
            }
            if (end) {
                add(text, start, i + 1, out);
                start = i + 1;
            }
        }
        add(text, start, n, out);
        return out;
    }

    /**
     * True when the line starting at {@code at} holds no letter or digit: a rule ("-----", "====="), a page
     * break that extraction turned into a replacement character, a row of stars. It separates like a blank line.
     */
    static boolean separator(String text, int at) {
        int end = text.indexOf('\n', at);
        if (end < 0) end = text.length();
        if (end == at) return false;
        for (int k = at; k < end; k++) if (Character.isLetterOrDigit(text.charAt(k))) return false;
        return true;
    }

    /** True when the line ending at {@code newline} is a heading or a list item (no sentence runs on from it). */
    private static boolean endsLine(String text, int start, int newline) {
        int lineStart = text.lastIndexOf('\n', newline - 1) + 1;
        int from = Math.max(start, lineStart);
        while (from < newline && Character.isWhitespace(text.charAt(from))) from++;
        return from < newline && (startsItem(text, from) || text.charAt(from) == '#');
    }

    private static boolean startsItem(String text, int at) {
        char c = text.charAt(at);
        if (c == '-' || c == '*' || c == '•' || c == '#' || c == '–') return at + 1 < text.length() && text.charAt(at + 1) == ' ' || c == '#';
        int j = at;
        while (j < text.length() && Character.isDigit(text.charAt(j))) j++;
        return j > at && j - at <= 3 && j + 1 < text.length() && (text.charAt(j) == '.' || text.charAt(j) == ')') && text.charAt(j + 1) == ' ';
    }

    private static boolean isCloser(char c) {
        return c == '"' || c == '\'' || c == ')' || c == '”' || c == '’' || c == '»' || c == ']';
    }

    /** A full stop after an abbreviation, an initial, an ordinal ("31. März") or a list number is no sentence end. */
    private static boolean notAnEnd(String text, int start, int dot, int after) {
        int w = dot;
        while (w > start && !Character.isWhitespace(text.charAt(w - 1)) && text.charAt(w - 1) != '(') w--;
        String word = text.substring(w, dot).toLowerCase(Locale.ROOT);
        if (word.isEmpty()) return false;
        if (ABBREVIATIONS.contains(word)) return true;
        if (word.length() == 1 && Character.isLetter(word.charAt(0))) return true; // an initial: "J. Smith"
        // "31. März", "2. Februar": a German ordinal before a word in lower case or a month.
        int j = after;
        while (j < text.length() && text.charAt(j) == ' ') j++;
        if (word.chars().allMatch(Character::isDigit) && word.length() <= 2 && j < text.length()) {
            String nextWord = nextWord(text, j).toLowerCase(Locale.ROOT);
            if (DateFacts.month(nextWord) > 0) return true;
        }
        return j < text.length() && Character.isLowerCase(text.charAt(j)) && word.length() <= 4 && word.indexOf('.') >= 0;
    }

    private static String nextWord(String text, int at) {
        int j = at;
        while (j < text.length() && Character.isLetter(text.charAt(j))) j++;
        return text.substring(at, j);
    }

    private static void add(String text, int start, int end, List<Span> out) {
        while (start < end && Character.isWhitespace(text.charAt(start))) start++;
        while (end > start && Character.isWhitespace(text.charAt(end - 1))) end--;
        // Skip leading list markers and heading hashes: "- Use pots ..." is checked as "Use pots ...".
        int s = start;
        while (s < end && (text.charAt(s) == '#' || text.charAt(s) == '-' || text.charAt(s) == '*' || text.charAt(s) == '•')) s++;
        while (s < end && text.charAt(s) == ' ') s++;
        if (s < end && text.substring(s, end).codePoints().anyMatch(Character::isLetterOrDigit)) out.add(new Span(s, end));
    }
}
