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

    private static final java.util.regex.Pattern LETTERS_DIGITS = java.util.regex.Pattern.compile("(\\p{L}{2,})(\\d{1,9})");

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

    /** The document's name and title, lowercased ("" when unknown): what the source says about itself. */
    private final String title;
    private final Set<String> titleKeys = new HashSet<>();
    private final List<Fact> titleFacts;

    /** For each sentence: the table it is a row of (-1 for prose), and the header row of that table (-1 if none). */
    private final List<Integer> tableOf = new ArrayList<>();
    private final List<Integer> headerOf = new ArrayList<>();
    /** The header rows, by sentence index; and for each table sentence the index of its table's first one. */
    private final Set<Integer> headers = new HashSet<>();
    private final List<Integer> firstOf = new ArrayList<>();
    /** Tables that are keyed lists (see {@link Tables.Block#keyed()}). */
    private final Set<Integer> keyed = new HashSet<>();
    private int tables;

    private SourceText(String text, List<Span> regions, String title) {
        this.text = text;
        this.title = title == null ? "" : title;
        for (Words.Word w : Words.of(this.title, 0, this.title.length())) titleKeys.add(w.key());
        List<Fact> tf = new ArrayList<>(DateFacts.find(this.title, 0, this.title.length()));
        tf.addAll(NumberFacts.find(this.title, 0, this.title.length(), tf));
        this.titleFacts = tf;
        StringBuilder joined = new StringBuilder();
        for (Span region : regions) joined.append(region.of(text)).append('\n');
        this.scope = joined.toString();
        this.scopeLower = scope.toLowerCase(java.util.Locale.ROOT);
        for (Span region : regions) {
            for (Tables.Block block : Tables.blocks(text, region)) {
                if (block.rows().isEmpty()) {
                    for (Span s : Sentences.split(block.span().of(text))) indexCut(block.span().start() + s.start(), block.span().start() + s.end(), -1, -1, -1);
                } else {
                    // The first row is a header unless it holds a number: then the table has none.
                    int table = tables++, first = sentences.size();
                    if (block.keyed()) keyed.add(table);
                    boolean header = Tables.looksLikeHeader(text, block.rows().get(0));
                    for (int r = 0; r < block.rows().size(); r++) {
                        Span row = block.rows().get(r);
                        if (r == 0 && header) headers.add(first);
                        indexCut(row.start(), row.end(), table, r > 0 && header ? first : -1, first);
                    }
                }
            }
        }
    }

    /** Indexes one sentence, cut at a space where it is longer than {@link #MAX_SENTENCE}. */
    private void indexCut(int start, int end, int table, int header, int first) {
        while (end - start > MAX_SENTENCE) {
            int cut = text.lastIndexOf(' ', start + MAX_SENTENCE);
            if (cut <= start) cut = start + MAX_SENTENCE;
            index(start, cut, table, header, first);
            start = cut;
            while (start < end && Character.isWhitespace(text.charAt(start))) start++;
        }
        if (start < end) index(start, end, table, header, first);
    }

    /** The whole text as the source. */
    public static SourceText of(String text) {
        return new SourceText(text, List.of(new Span(0, text.length())), "");
    }

    /**
     * The whole text, with what names it: its file name or title. "Debian 12" is supported by a table in
     * {@code debian.csv} that never writes "Debian", and "tar 1.35 fixes ..." by {@code tar-1.35-NEWS}.
     */
    public static SourceText of(String text, String title) {
        return new SourceText(text, List.of(new Span(0, text.length())), title);
    }

    /** Only the given stretches of the text (an output's chunks), in order; offsets stay those of the whole text. */
    public static SourceText of(String text, List<Span> regions) {
        return new SourceText(text, regions, "");
    }

    /** Only the given stretches, with the document's file name or title (see {@link #of(String, String)}). */
    public static SourceText of(String text, List<Span> regions, String title) {
        return new SourceText(text, regions, title);
    }

    /** The sentences holding the literal as a whole name (see {@link Identifiers#holdsWhole}). */
    Set<Integer> holding(String literal, boolean caseSensitive) {
        Set<Integer> out = new java.util.TreeSet<>();
        for (int i = 0; i < sentences.size(); i++) if (sentenceHolds(i, literal, caseSensitive)) out.add(i);
        return out;
    }

    /** Whether sentence {@code i} holds the literal as a whole name (see {@link Identifiers#holdsWhole}). */
    boolean sentenceHolds(int i, String literal, boolean caseSensitive) {
        String t = sentences.get(i).of(text);
        return caseSensitive ? Identifiers.holdsWhole(t, literal)
                : Identifiers.holdsWhole(t.toLowerCase(java.util.Locale.ROOT), literal.toLowerCase(java.util.Locale.ROOT));
    }

    /** Whether the title holds the literal as written. */
    boolean titleHolds(String literal) {
        return Identifiers.holdsWhole(title, literal);
    }

    /** Whether the title holds the word (by its key). */
    boolean titleHas(String key) {
        return titleKeys.contains(key);
    }

    /** Whether the title holds a reading of the fact. */
    boolean titleHolds(Fact f) {
        for (Fact g : titleFacts) if (f.foundIn(g)) return true;
        return false;
    }

    /** The table sentence {@code i} is a row (or the header) of, or -1 for prose. */
    int table(int i) {
        return i < 0 || i >= tableOf.size() ? -1 : tableOf.get(i);
    }

    /** Whether table {@code t} is a keyed list: codes or options with what each means. */
    boolean keyed(int t) {
        return keyed.contains(t);
    }

    /** A row of a table that is not its header: where values stand. */
    boolean isRow(int i) {
        return table(i) >= 0 && !headers.contains(i);
    }

    /** The first sentence (header or first row) of the table sentence {@code i} is in, or -1. */
    int tableFirst(int i) {
        return i < 0 || i >= firstOf.size() ? -1 : firstOf.get(i);
    }

    /** The header row above row {@code i}, or -1 (prose, the header itself, or a table without one). */
    int header(int i) {
        return i < 0 || i >= headerOf.size() ? -1 : headerOf.get(i);
    }

    public String text() {
        return text;
    }

    /** Whether the checked text holds {@code literal} as written (an option, an identifier) or in any case. */
    boolean holds(String literal, boolean caseSensitive) {
        if (caseSensitive) return Identifiers.holdsWhole(scope, literal) || Identifiers.holdsWhole(title, literal);
        String lower = literal.toLowerCase(java.util.Locale.ROOT);
        return Identifiers.holdsWhole(scopeLower, lower) || Identifiers.holdsWhole(title.toLowerCase(java.util.Locale.ROOT), lower);
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

    private void index(int start, int end, int table, int header, int first) {
        int id = sentences.size();
        sentences.add(new Span(start, end));
        tableOf.add(table);
        headerOf.add(header);
        firstOf.add(first);
        headings.add(lastHeading);
        if (table < 0 && isHeading(start, end)) lastHeading = id;
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
        for (Words.Word w : Words.of(text, start, end)) {
            ks.add(w.key());
            // "rfc4255", "SSE3", "win32": the letters and the number are also found on their own ("RFC 4255").
            java.util.regex.Matcher m = LETTERS_DIGITS.matcher(w.text());
            if (m.matches()) {
                ks.add(Words.key(m.group(1)));
                byNumber.computeIfAbsent(new java.math.BigDecimal(m.group(2)).toPlainString(), k -> new ArrayList<>()).add(id);
            }
        }
        // A row says what its header says: "Bookworm ... 2023-06-10" under "codename ... release".
        if (header >= 0) ks.addAll(keys.get(header));
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
