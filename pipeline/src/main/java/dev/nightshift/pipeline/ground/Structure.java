package dev.nightshift.pipeline.ground;

import dev.nightshift.pipeline.core.Evidence;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The checks that follow the source's structure rather than its words: what stands in one passage (a sentence,
 * its neighbours, its heading, a table row and its header), values of one table row, specific things that must
 * meet, versions within their entry, and words the source writes joined (compounds, acronyms). Used by
 * {@link GroundingCheck} for each sentence it checks.
 */
final class Structure {
    private Structure() {
    }

    /**
     * Claim words the source writes as one: a hyphenated compound written closed ("code-named" for
     * "codename"), or an acronym of two to five words ("end of life" for "eol", "long-term support" for
     * "LTS"). Their joined key goes into {@code weights}; the indexes of the words it replaces are returned.
     */
    static Set<Integer> joinedWords(String claims, List<Words.Word> words, SourceText source, Map<String, Double> weights) {
        Set<Integer> out = new HashSet<>();
        for (int i = 0; i + 1 < words.size(); i++) {
            Words.Word a = words.get(i), b = words.get(i + 1);
            if (b.start() - a.end() != 1 || claims.charAt(a.end()) != '-') continue;
            String key = Words.key(a.text() + b.text());
            if (source.byKey.containsKey(key) && !source.byKey.containsKey(a.key())) {
                weights.put(key, source.weight(key));
                out.add(i);
                out.add(i + 1);
            }
        }
        for (int i = 0; i < words.size(); i++) {
            StringBuilder initials = new StringBuilder();
            for (int n = 1; n <= 5 && i + n <= words.size(); n++) {
                Words.Word w = words.get(i + n - 1);
                if (w.text().codePoints().noneMatch(Character::isLetter) || n > 1 && w.start() - words.get(i + n - 2).end() > 2) break;
                initials.append(Character.toLowerCase(w.text().charAt(0)));
                if (n < 2 || !Words.content(words.get(i)) || !Words.content(w)) continue;
                String key = initials.toString();
                if (source.byKey.containsKey(key) && !out.contains(i)) {
                    weights.put(key, source.weight(key));
                    for (int k = i; k < i + n; k++) out.add(k);
                    break;
                }
            }
        }
        return out;
    }

    /**
     * A version: three parts or more ("1.8.10"), two and a suffix ("0.5.12-1"), a series ("2.x"), or two after
     * a name ("LSB 2.0", "Debian 3.0": there 2.0 is not the number 2).
     */
    static final java.util.regex.Pattern VERSION_NUMBER = java.util.regex.Pattern.compile(
            "(?<=\\p{Lu}[\\p{L}\\p{N}+-]{0,30} )\\d+\\.\\d+(?:[-+~][\\w.+~-]*\\w)?(?!\\w|\\.\\w)|(?<![\\w.])\\d+(?:\\.\\d+)*\\.x(?![\\w])|(?<![\\w.])\\d+(?:\\.\\d+){2,}(?:[-+~][\\w.+~-]*\\w)?(?![\\w])|(?<![\\w.])\\d+\\.\\d+[-+~][\\w.+~-]*\\w(?![\\w])");

    /**
     * A version belongs to its entry: "0.5.10.2-6 uses debhelper-compat" is wrong when the change is listed
     * under 0.5.10.2-7, though the changelog holds both. Found as written in the evidence, its passage or
     * its heading, or the document's name.
     */
    static void versions(String claims, Span s, List<Fact> facts, SourceText source, Set<Integer> evidence, int primary,
                         List<String> flags) {
        java.util.regex.Matcher m = VERSION_NUMBER.matcher(claims.substring(s.start(), s.end()));
        while (m.find()) {
            String v = m.group();
            java.util.function.IntPredicate holds = i -> source.sentenceHolds(i, v, true);
            boolean near = source.titleHolds(v) || aroundPrimary(source, primary, holds);
            // Evidence of the same passage (a row's header, a heading's item further down); without best evidence, any.
            for (int e : evidence) near |= (primary < 0 || together(source, primary, e)) && holds.test(e);
            // Or beside another fact of the claim: "libpipeline 1.5.7 was released on 13 November 2022" is the
            // heading "libpipeline 1.5.7 (13 November 2022)", whatever sentence the word "released" leads to.
            for (Fact f : facts) {
                if (near || f.text().equals(v) || v.contains(f.text())) continue;
                for (int h : GroundingCheck.holding(f, source)) near |= holds.test(h);
            }
            if (!near) flags.add("version:" + v);
        }
    }

    /**
     * A claim's specific things must meet somewhere in the source: "Apache Tika is sponsored by the Hadoop PMC"
     * names two things a page may hold, but in passages that never meet. Facts, names and identifiers, each
     * found in fewer than {@link GroundingCheck#TOPIC} sentences and not in the first (more, or there, and it is
     * what the document is about), must pairwise stand in one passage: one sentence, a sentence beside it, its
     * heading, a row and its header.
     */
    static void apart(List<Words.Word> words, List<Fact> facts, List<Identifiers.Identifier> identifiers, SourceText source,
                      List<String> flags) {
        Map<String, Set<Integer>> terms = new LinkedHashMap<>();
        for (Fact f : facts) terms.put(f.text(), new TreeSet<>(GroundingCheck.holding(f, source)));
        for (Words.Word w : words) {
            if (!Words.content(w) || GroundingCheck.inside(facts, w.start()) || source.titleHas(w.key()) || GroundingCheck.META.contains(w.text().toLowerCase(Locale.ROOT))) continue;
            List<Integer> in = source.byKey.getOrDefault(w.key(), List.of());
            if (w.capitalized() && words.indexOf(w) > 0 && !Words.STOP.contains(w.text().toLowerCase(Locale.ROOT))) terms.putIfAbsent(w.key(), new TreeSet<>(in));
        }
        for (Identifiers.Identifier id : identifiers) terms.put(id.text(), source.holding(id.text(), id.caseSensitive()));
        // What the document is about (in three sentences or more, or in its first: a title, a greeting) meets everything.
        terms.values().removeIf(in -> in.isEmpty() || in.size() >= GroundingCheck.TOPIC || in.contains(0));
        List<Map.Entry<String, Set<Integer>>> list = new ArrayList<>(terms.entrySet());
        for (int a = 0; a < list.size(); a++) {
            for (int b = a + 1; b < list.size(); b++) {
                if (!meet(source, list.get(a).getValue(), list.get(b).getValue()) && !oneTable(source, list.get(a).getValue(), list.get(b).getValue())) {
                    flags.add("apart:" + list.get(a).getKey() + "/" + list.get(b).getKey());
                    return;
                }
            }
        }
    }

    /** Both in rows of one table: whether they pair up is the row rule's to judge. */
    static boolean oneTable(SourceText source, Set<Integer> a, Set<Integer> b) {
        for (int i : a) for (int j : b) if (source.table(i) >= 0 && source.table(i) == source.table(j)) return true;
        return false;
    }

    static boolean meet(SourceText source, Set<Integer> a, Set<Integer> b) {
        for (int i : a) {
            for (int j : b) {
                if (i == j || together(source, i, j) && Math.abs(i - j) <= 1 || source.heading(i) == j || source.heading(j) == i) return true;
            }
        }
        return false;
    }

    /** Two source sentences of one passage: next to each other (prose), or a row and its header, or a heading and its item. */
    static boolean together(SourceText source, int a, int b) {
        if (source.table(a) >= 0 || source.table(b) >= 0) {
            return a == b || source.table(a) == source.table(b) && (source.header(a) == b || source.header(b) == a);
        }
        return Math.abs(a - b) <= 2 || source.heading(a) == b || source.heading(b) == a;
    }

    /**
     * Values of one table row must come from that row: "Debian 10 was code-named Stretch" pairs the version of
     * one row with the name of another. The claim's facts, names and identifiers that a table of the evidence
     * holds are covered greedily by its rows; a row that covers one value alone, while others cover the rest,
     * pairs it wrongly. The two ends of a range ("1 to 15") stand in different rows by nature and are let be.
     */
    static void rows(String claims, List<Words.Word> words, List<Fact> facts, List<Identifiers.Identifier> identifiers,
                     SourceText source, Set<Integer> evidence, List<String> flags) {
        int table = -1;
        for (int e : evidence) if (source.table(e) >= 0) table = source.table(e);
        if (table < 0) return;
        Map<String, Set<Integer>> values = new LinkedHashMap<>();
        Set<String> rangeEnds = new HashSet<>();
        for (Fact f : facts) {
            Set<Integer> in = inTable(GroundingCheck.holding(f, source), source, table);
            if (!in.isEmpty()) values.put(f.text(), in);
            if (rangeEnd(claims, f.start(), f.end())) rangeEnds.add(f.text());
        }
        for (Words.Word w : words) {
            if (!Words.content(w) || GroundingCheck.inside(facts, w.start()) || values.containsKey(w.text())) continue;
            Set<Integer> in = inTable(source.byKey.getOrDefault(w.key(), List.of()), source, table);
            // In a keyed list ("102 - subsystem error") a word of one row's meaning is that row's value.
            if (!in.isEmpty() && !w.capitalized() && source.keyed(table) && in.size() == 1) {
                values.put(w.text(), in);
                continue;
            }
            if (in.isEmpty() || !w.capitalized()) continue;
            // The whole word, not its key: "Smith7" is not in the row of "Smith70".
            in.removeIf(r -> !source.sentenceHolds(r, w.text(), false));
            if (in.isEmpty()) continue;
            // A word of the header is in every row by inheritance: it names a column, not a value.
            if (in.stream().allMatch(r -> source.header(r) >= 0 && headerHolds(source, r, w.key()))) continue;
            values.put(w.text(), in);
            if (rangeEnd(claims, w.start(), w.end())) rangeEnds.add(w.text());
        }
        for (Identifiers.Identifier id : identifiers) {
            Set<Integer> in = new TreeSet<>(source.holding(id.text(), id.caseSensitive()));
            int t = table;
            in.removeIf(r -> source.table(r) != t || !source.isRow(r));
            if (!in.isEmpty()) values.put(id.text(), in);
        }
        if (values.size() < 2) return;
        Set<String> left = new HashSet<>(values.keySet());
        List<Set<String>> groups = new ArrayList<>();
        while (!left.isEmpty()) {
            Map<Integer, Set<String>> byRow = new java.util.HashMap<>();
            for (String v : left) for (int r : values.get(v)) byRow.computeIfAbsent(r, k -> new HashSet<>()).add(v);
            Set<String> best = byRow.values().stream().max(java.util.Comparator.comparingInt(Set::size)).orElseThrow();
            groups.add(best);
            left.removeAll(best);
        }
        if (groups.size() < 2) return;
        for (Set<String> g : groups) {
            if (g.size() == 1 && !rangeEnds.containsAll(g)) {
                flags.add("row:" + g.iterator().next());
                return;
            }
        }
    }

    static Set<Integer> inTable(List<Integer> sentences, SourceText source, int table) {
        Set<Integer> out = new TreeSet<>();
        for (int s : sentences) if (source.table(s) == table && source.isRow(s)) out.add(s);
        return out;
    }

    static boolean headerHolds(SourceText source, int row, String key) {
        return source.keys.get(source.header(row)).contains(key);
    }

    /** Whether the text at [start, end) of a claim is one end of a range: "1 to 15", "from 2019 through 2021", "3–5". */
    static boolean rangeEnd(String claims, int start, int end) {
        String before = claims.substring(Math.max(0, start - 9), start).toLowerCase(Locale.ROOT);
        String after = claims.substring(end, Math.min(claims.length(), end + 9)).toLowerCase(Locale.ROOT);
        return before.matches(".*\\b(to|through|until|till|bis)\\s+$") || before.matches(".*[\\-–]\\s*$")
                || after.matches("^\\s+(to|through|until|till|bis)\\b.*") || after.matches("^\\s*[\\-–]\\s*\\d.*");
    }

    /** Whether a sentence of the best evidence's passage (itself, two either side, its heading) holds what is asked. */
    static boolean aroundPrimary(SourceText source, int primary, java.util.function.IntPredicate holds) {
        if (primary < 0) return false;
        for (int i = Math.max(0, primary - 2); i <= Math.min(source.sentences.size() - 1, primary + 2); i++) {
            if (together(source, primary, i) && holds.test(i)) return true;
        }
        int heading = source.heading(primary);
        return heading >= 0 && holds.test(heading);
    }
}
