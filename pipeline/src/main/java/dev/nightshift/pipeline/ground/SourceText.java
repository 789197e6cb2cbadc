package dev.nightshift.pipeline.ground;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A source made ready for checking many sentences against it: its sentences (within the regions an output
 * was made from), each sentence's word keys and facts, where every key and number occurs, and how rare
 * each key is (a word found in few sentences weighs more, as in BM25's idf). Built once per source, in
 * time linear in its length.
 */
public final class SourceText {
    /** Longer "sentences" (tables, lists without stops) are cut at a space, so that evidence stays readable. */
    static final int MAX_SENTENCE = 600;

    final String text;
    final List<Span> sentences = new ArrayList<>();
    final List<Set<String>> keys = new ArrayList<>();
    final List<List<Fact>> facts = new ArrayList<>();
    final Map<String, List<Integer>> byKey = new HashMap<>();
    final Map<String, List<Integer>> byNumber = new HashMap<>();
    private final Map<String, Integer> documentFrequency = new HashMap<>();

    /** The stretches checked, joined, as written and lowercased: where identifiers are looked up literally. */
    private final String scope;
    private final String scopeLower;

    private SourceText(String text, List<Span> regions) {
        this.text = text;
        StringBuilder joined = new StringBuilder();
        for (Span region : regions) joined.append(region.of(text)).append('\n');
        this.scope = joined.toString();
        this.scopeLower = scope.toLowerCase(java.util.Locale.ROOT);
        for (Span region : regions) {
            for (Span s : Sentences.split(region.of(text))) {
                int start = region.start() + s.start(), end = region.start() + s.end();
                while (end - start > MAX_SENTENCE) {
                    int cut = text.lastIndexOf(' ', start + MAX_SENTENCE);
                    if (cut <= start) cut = start + MAX_SENTENCE;
                    index(start, cut);
                    start = cut;
                    while (start < end && Character.isWhitespace(text.charAt(start))) start++;
                }
                if (start < end) index(start, end);
            }
        }
    }

    /** The whole text as the source. */
    public static SourceText of(String text) {
        return new SourceText(text, List.of(new Span(0, text.length())));
    }

    /** Only the given stretches of the text (an output's chunks), in order; offsets stay those of the whole text. */
    public static SourceText of(String text, List<Span> regions) {
        return new SourceText(text, regions);
    }

    public String text() {
        return text;
    }

    /** Whether the checked text holds {@code literal} as written (an option, an identifier) or in any case. */
    boolean holds(String literal, boolean caseSensitive) {
        return caseSensitive ? scope.contains(literal) : scopeLower.contains(literal.toLowerCase(java.util.Locale.ROOT));
    }

    /** For each sentence, the heading it stands under (a sentence index), or -1. */
    private final List<Integer> headings = new ArrayList<>();
    private int lastHeading = -1;

    /**
     * The heading {@code sentence} stands under, or -1: release notes put the version and the date in a
     * heading ("version 1.34 - Sergey Poznyakoff, 2021-02-13") and list what changed below it, so "1.34
     * fixed the memory leak" is supported by the item and its heading together.
     */
    int heading(int sentence) {
        return sentence < 0 || sentence >= headings.size() ? -1 : headings.get(sentence);
    }

    /**
     * A heading: a whole line of at most 100 characters that ends without punctuation, is no list item, and
     * has a blank line after it (or is a Markdown heading): a table's rows and an address's lines are not.
     */
    private boolean isHeading(int start, int end) {
        if (end - start > 100) return false;
        int before = start - 1;
        while (before >= 0 && text.charAt(before) != '\n' && Character.isWhitespace(text.charAt(before))) before--;
        if (before >= 0 && text.charAt(before) != '\n') return false;
        String line = text.substring(start, end).strip();
        if (line.isEmpty() || line.codePoints().noneMatch(Character::isLetter) || line.contains("://")) return false;
        if (line.startsWith("#")) return true;
        if (".,;:!?".indexOf(line.charAt(line.length() - 1)) >= 0) return false;
        if (line.matches("^([*\\-•+]|\\d+[.)])\\s.*")) return false;
        int after = end;
        while (after < text.length() && text.charAt(after) != '\n' && Character.isWhitespace(text.charAt(after))) after++;
        if (after >= text.length() || text.charAt(after) != '\n') return false;
        // The next line is empty, or has no letter or digit (spaces only, a page break, a rule).
        int next = after + 1;
        return next < text.length() && (text.charAt(next) == '\n' || Sentences.separator(text, next));
    }

    private void index(int start, int end) {
        int id = sentences.size();
        sentences.add(new Span(start, end));
        headings.add(lastHeading);
        if (isHeading(start, end)) lastHeading = id;
        List<Fact> found = new ArrayList<>(DateFacts.find(text, start, end));
        found.addAll(NumberFacts.find(text, start, end, found));
        facts.add(found);
        for (Fact f : found) {
            for (String r : f.readings()) byNumber.computeIfAbsent(r, k -> new ArrayList<>()).add(id);
            if (f.kind() == Fact.Kind.DATE) { // "31 March 2027" also holds the numbers 31 and 2027 (not 3: "March" is no count)
                for (String r : f.readings()) {
                    if (r.startsWith("w")) continue;
                    String[] ymd = r.split("-");
                    for (String part : new String[]{ymd[0], ymd[2]}) if (!part.equals("0")) byNumber.computeIfAbsent(part, k -> new ArrayList<>()).add(id);
                }
            }
        }
        Set<String> ks = new HashSet<>();
        for (Words.Word w : Words.of(text, start, end)) ks.add(w.key());
        keys.add(ks);
        for (String k : ks) {
            byKey.computeIfAbsent(k, x -> new ArrayList<>()).add(id);
            documentFrequency.merge(k, 1, Integer::sum);
        }
    }

    /**
     * The words of one sentence, found again when asked: only evidence sentences are looked at word by
     * word, and keeping every sentence's words would cost a large source several times its size.
     */
    List<Words.Word> words(int sentence) {
        Span s = sentences.get(sentence);
        return Words.of(text, s.start(), s.end());
    }

    /** How much a key says: log(1 + N / df); a key the source never holds weighs most. */
    double weight(String key) {
        int n = Math.max(1, sentences.size());
        int df = documentFrequency.getOrDefault(key, 0);
        return Math.log(1 + (double) n / (df == 0 ? 0.5 : df));
    }
}
