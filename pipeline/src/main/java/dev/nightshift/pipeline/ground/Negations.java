package dev.nightshift.pipeline.ground;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Whether a claim and its evidence agree on what is not so: negation words and verbs on either side, words
 * that say the opposite of each other, and what "instead of" leaves true. Used by {@link GroundingCheck}.
 */
final class Negations {
    private Negations() {
    }

    /** Words that say the opposite of each other (compared by key): a claim with one where its evidence has the other. */
    static final Map<String, Set<String>> OPPOSITES = opposites(
            "enable disable", "enabled disabled", "enables disables", "add drop", "added dropped", "added removed", "adds drops",
            "adds removes", "include exclude", "included excluded", "mandatory optional", "required optional", "long short",
            "longer shorter", "increase decrease", "increased decreased", "raised lowered", "allow deny", "allowed denied",
            "public internal", "public private", "accepted rejected", "before after", "first last", "minimum maximum",
            "more less", "more fewer", "older newer", "earlier later", "start stop", "started stopped", "open closed",
            "supported unsupported", "deprecated recommended", "installed uninstalled", "loaded unloaded", "major minor",
            "stable unstable", "stable volatile");

    static Map<String, Set<String>> opposites(String... pairs) {
        Map<String, Set<String>> out = new java.util.HashMap<>();
        for (String p : pairs) {
            String[] ab = p.split(" ");
            String a = Words.key(ab[0]), b = Words.key(ab[1]);
            out.computeIfAbsent(a, k -> new HashSet<>()).add(b);
            out.computeIfAbsent(b, k -> new HashSet<>()).add(a);
        }
        return out;
    }

    /** "dash enabled libc glob support" against "Disable libc glob support": the best evidence says the opposite. */
    static void opposites(List<Words.Word> words, SourceText source, int primary, List<String> flags) {
        if (primary < 0) return;
        Set<String> claimWords = new HashSet<>(), evidenceWords = new HashSet<>();
        for (Words.Word w : words) claimWords.add(w.key());
        for (Words.Word w : source.words(primary)) evidenceWords.add(w.key());
        for (String c : claimWords) {
            if (evidenceWords.contains(c)) continue;
            for (String o : OPPOSITES.getOrDefault(c, Set.of())) {
                if (evidenceWords.contains(o) && !claimWords.contains(o)) {
                    flags.add("negation:" + c + "/" + o);
                    return;
                }
            }
        }
    }

    /**
     * The claim and its evidence must agree on negation. A negated word of the claim (the first content word
     * within three after "not") must be negated where the evidence holds it; a word the evidence negates must
     * not be stated plainly by a claim without negation ("was entered" against "was not entered").
     */
    static void negation(String claims, List<Words.Word> words, SourceText source, Set<Integer> evidence, int primary,
                                 Set<String> claimKeys, List<String> flags) {
        boolean claimNegates = false;
        for (int i = 0; i < words.size(); i++) {
            Words.Word w = words.get(i);
            if (!Words.negation(w) && !Words.negatedVerb(claims, w)) continue;
            claimNegates = true;
            if (REPLACING.contains(w.text().toLowerCase(Locale.ROOT))) continue; // "B instead of A" need not find "not A"
            String said = w.text().equals("t") ? "n't" : w.text();
            String plain = null;
            boolean anyTarget = false, negatedThere = false;
            for (int j = i + 1; j < Math.min(words.size(), i + 4) && !clauseBreak(claims, words.get(j - 1), words.get(j)); j++) {
                // "will not have the policy-rc.d script": what is negated is the verb, not the object after "the".
                if (GroundingCheck.DETERMINERS.contains(words.get(j).text().toLowerCase(Locale.ROOT))) break;
                if (!Words.content(words.get(j))) continue;
                for (int e : evidence) {
                    List<Words.Word> ws = source.words(e);
                    for (int k = 0; k < ws.size(); k++) {
                        if (!ws.get(k).key().equals(words.get(j).key())) continue;
                        anyTarget = true;
                        boolean negated = false;
                        for (int b = k - 1; b >= Math.max(0, k - 4) && !clauseBreak(source.text, ws.get(b), ws.get(b + 1)); b--) {
                            if (Words.negation(ws.get(b)) || Words.negatedVerb(source.text, ws.get(b))) negated = true;
                        }
                        if (negated) negatedThere = true;
                        else if (plain == null) plain = words.get(j).text();
                    }
                }
            }
            if (anyTarget && !negatedThere) {
                flags.add("negation:" + said + " " + plain);
                return;
            }
            if (!anyTarget && !negates(source, evidence)) {
                flags.add("negation:" + said);
                return;
            }
        }
        // The claim states plainly what its best evidence negates, or the evidence beside it, or the next sentence
        // when it goes on about the same thing ("Majordomo has a static uid. It is not installed on new systems.").
        if (claimNegates || primary < 0) return;
        Set<String> claimWords = new HashSet<>();
        for (Words.Word w : words) claimWords.addAll(forms(w.text()));
        List<Integer> negating = new ArrayList<>(List.of(primary));
        for (int e : evidence) if (e != primary && Math.abs(e - primary) == 1 && Structure.together(source, e, primary)) negating.add(e);
        if (primary + 1 < source.sentences.size() && !negating.contains(primary + 1) && Structure.together(source, primary, primary + 1)
                && startsWithPronoun(source.words(primary + 1))) negating.add(primary + 1);
        for (int n : negating) {
            List<Words.Word> ws = source.words(n);
            for (int i = 0; i < ws.size(); i++) {
                Words.Word w = ws.get(i);
                if (!Words.negation(w) && !Words.negatedVerb(source.text, w)) continue;
                // "use mktemp instead of tempfile": tempfile was used before; a claim that says so is no contradiction.
                if (REPLACING.contains(w.text().toLowerCase(Locale.ROOT))) continue;
                for (int j = i + 1; j < Math.min(ws.size(), i + 4) && !clauseBreak(source.text, ws.get(j - 1), ws.get(j)); j++) {
                    if (Words.content(ws.get(j)) && claimKeys.contains(ws.get(j).key()) && claimHasForm(claimWords, ws.get(j).text())) {
                        flags.add("negation:" + (w.text().equals("t") ? "n't" : w.text()) + " " + ws.get(j).text());
                        return;
                    }
                }
            }
        }
    }

    /** The claim holds the word in a form of its own ("entered" for "enter"), not a longer word of the same key ("compatibility"). */
    static boolean claimHasForm(Set<String> claimForms, String word) {
        for (String f : forms(word)) if (claimForms.contains(f)) return true;
        return false;
    }

    /** A word and what it is without a plural or past or -ing ending: "singles" is "single", "entered" "enter". */
    static Set<String> forms(String word) {
        String w = word.toLowerCase(Locale.ROOT);
        Set<String> out = new HashSet<>(List.of(w));
        for (String end : new String[] {"ing", "ed", "es", "s", "d"}) {
            if (w.length() > end.length() + 2 && w.endsWith(end)) out.add(w.substring(0, w.length() - end.length()));
        }
        return out;
    }

    /** Negations that say "in place of": what follows them was true before, and may be stated plainly. */
    static final Set<String> REPLACING = Words.set("instead", "rather", "statt", "anstatt", "plutôt");

    static final Set<String> PRONOUNS = Words.set("it", "this", "they", "these", "he", "she", "that", "es", "sie", "er", "il", "elle");

    static boolean startsWithPronoun(List<Words.Word> words) {
        return !words.isEmpty() && PRONOUNS.contains(words.get(0).text().toLowerCase(Locale.ROOT));
    }

    /** A comma, semicolon or colon between two words: what follows belongs to another clause. */
    static boolean clauseBreak(String text, Words.Word a, Words.Word b) {
        for (int i = a.end(); i < b.start(); i++) {
            char c = text.charAt(i);
            if (c == ',' || c == ';' || c == ':' || c == '.' || c == '(' || c == ')') return true;
        }
        return false;
    }

    static boolean negates(SourceText source, Set<Integer> evidence) {
        for (int e : evidence) {
            for (Words.Word w : source.words(e)) if (Words.negation(w) || Words.negatedVerb(source.text, w)) return true;
        }
        return false;
    }
}
