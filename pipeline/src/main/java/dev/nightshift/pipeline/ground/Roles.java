package dev.nightshift.pipeline.ground;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Who did what, for {@link GroundingCheck}: words that swapped places between the claim and its evidence
 * ({@code role:}), a word put in the place of another inside a noun phrase, another subject, or a subject the
 * source never names ({@code word:}, {@code subject:}).
 */
final class Roles {
    private Roles() {
    }

    /**
     * Who did what: words that swapped places around words that stayed ("container traffic grew, bulk grain
     * fell" against "bulk grain grew, container traffic fell"). Claim words that occur once in the claim and
     * once in the evidence are placed in source order; a pair in reverse order with a word between them in the
     * claim that also lies between them in the source is a swap. Moving a whole clause ("Y, because X" for
     * "because X, Y") leaves nothing between in both, and the passive on one side only turns order round.
     */
    static void swapped(String claims, List<Words.Word> words, List<Fact> facts, SourceText source, Set<Integer> evidence,
                              List<String> flags) {
        Map<String, Integer> inClaim = new java.util.HashMap<>();
        for (Words.Word w : words) if (Words.content(w) && !GroundingCheck.inside(facts, w.start())) inClaim.merge(w.key(), 1, Integer::sum);
        Map<String, Integer> position = new java.util.HashMap<>();
        Map<String, Integer> inSource = new java.util.HashMap<>();
        boolean sourcePassive = false;
        int offset = 0;
        for (int e : evidence) {
            List<Words.Word> ws = source.words(e);
            for (int i = 0; i < ws.size(); i++) {
                Words.Word w = ws.get(i);
                if (passive(ws, i)) sourcePassive = true;
                if (!inClaim.containsKey(w.key())) continue;
                inSource.merge(w.key(), 1, Integer::sum);
                position.put(w.key(), offset + i);
            }
            offset += ws.size() + 1;
        }
        boolean claimPassive = false;
        for (int i = 0; i < words.size(); i++) if (passive(words, i)) claimPassive = true;
        if (claimPassive != sourcePassive) return;
        List<Words.Word> placed = new ArrayList<>();
        List<Integer> seq = new ArrayList<>();
        for (Words.Word w : words) {
            if (!Words.content(w) || GroundingCheck.inside(facts, w.start()) || inClaim.getOrDefault(w.key(), 0) != 1 || inSource.getOrDefault(w.key(), 0) != 1) continue;
            placed.add(w);
            seq.add(position.get(w.key()));
        }
        for (int i = 0; i < seq.size(); i++) {
            for (int j = i + 2; j < seq.size(); j++) {
                if (seq.get(i) < seq.get(j)) continue;
                for (int k = i + 1; k < j; k++) {
                    if (seq.get(k) > seq.get(j) && seq.get(k) < seq.get(i)) {
                        flags.add("role:" + placed.get(i).text() + "/" + placed.get(j).text());
                        return;
                    }
                }
            }
        }
    }

    /**
     * A word put in the place of another inside a noun phrase: "the west wing" where the source says "the
     * east wing", "at the airport" where it says "at the central station". The claim's phrase (a determiner
     * and up to two words) holds a word the evidence lacks, and an evidence sentence without that word has a phrase
     * sharing a word with it, or following the same word, that holds a word the claim lacks. Adding a word ("a whole group") or
     * another verb is no substitution.
     */
    static void substitutions(String claims, List<Words.Word> words, SourceText source, Set<Integer> evidence, int primary,
                                      Set<String> claimKeys, double score, List<String> flags) {
        // Another subject: the claim's first word is not in its best evidence, whose own subject the claim lacks
        // ("Parents with children are separated from car traffic" against "The lanes are separated from ...").
        if (primary >= 0 && !words.isEmpty()) {
            Words.Word first = subject(words), theirs = subject(source.words(primary));
            if (first != null && theirs != null && !source.keys.get(primary).contains(first.key()) && !claimKeys.contains(theirs.key())
                    && samePredicate(words, first, source.words(primary), theirs)) {
                flags.add("word:" + first.text());
                return;
            }
        }
        // A subject the source never names, in a sentence only loosely supported: "The curl library is
        // distributed under the MIT license" against the copyright file of tar (0.52: license, MIT, distributed).
        Words.Word first = subject(words);
        if (score < GroundingCheck.LOOSE && first != null && !first.capitalized() && source.byKey.getOrDefault(first.key(), List.of()).isEmpty()
                && !source.titleHas(first.key())) {
            flags.add("subject:" + first.text());
            return;
        }
        List<Phrase> claimPhrases = phrases(claims, words);
        for (int e : evidence) {
            Set<String> here = source.keys.get(e);
            for (Phrase q : phrases(source.text, source.words(e))) {
                if (q.words().stream().allMatch(w -> claimKeys.contains(w.key()))) continue; // nothing of it replaced
                for (Phrase p : claimPhrases) {
                    boolean shares = q.words().stream().anyMatch(w -> p.keys().contains(w.key()))
                            || p.before() != null && q.before() != null && p.before().key().equals(q.before().key());
                    if (!shares) continue;
                    for (Words.Word w : p.words()) {
                        // A capitalized word is a name: the name check judges it.
                        if (!here.contains(w.key()) && !w.capitalized() && !Structure.aroundPrimary(source, primary, i -> source.keys.get(i).contains(w.key()))) {
                            flags.add("word:" + w.text());
                            return;
                        }
                    }
                }
            }
        }
    }

    /** The two sentences go on alike after their subjects: a content word of the next four is the same. */
    private static boolean samePredicate(List<Words.Word> a, Words.Word subjectA, List<Words.Word> b, Words.Word subjectB) {
        Set<String> next = new HashSet<>();
        int ia = a.indexOf(subjectA), ib = b.indexOf(subjectB);
        for (int i = ia + 1; i < Math.min(a.size(), ia + 5); i++) if (Words.content(a.get(i))) next.add(a.get(i).key());
        for (int i = ib + 1; i < Math.min(b.size(), ib + 5); i++) if (Words.content(b.get(i)) && next.contains(b.get(i).key())) return true;
        return false;
    }

    /** The first word of a sentence, or of its leading determiner phrase, when it carries content; else null. */
    private static Words.Word subject(List<Words.Word> words) {
        int i = !words.isEmpty() && GroundingCheck.DETERMINERS.contains(words.get(0).text().toLowerCase(Locale.ROOT)) ? 1 : 0;
        if (i >= words.size()) return null;
        Words.Word w = words.get(i);
        return Words.content(w) && !Words.negation(w) && !NumberFacts.isNumberWord(w.text()) && !GroundingCheck.META.contains(w.text().toLowerCase(Locale.ROOT)) ? w : null;
    }

    /** "by the council", not "by adding": the agent of a passive. */
    private static boolean passive(List<Words.Word> words, int i) {
        if (!GroundingCheck.PASSIVE.contains(words.get(i).text().toLowerCase(Locale.ROOT))) return false;
        return i + 1 >= words.size() || !words.get(i + 1).text().toLowerCase(Locale.ROOT).endsWith("ing");
    }

    /** A determiner's phrase: the content words right after it, and the content word before it. */
    private record Phrase(Words.Word before, List<Words.Word> words) {
        Set<String> keys() {
            Set<String> out = new HashSet<>();
            for (Words.Word w : words) out.add(w.key());
            return out;
        }
    }

    /**
     * The determiner phrases of a sentence: up to two content words after a determiner, stopping at
     * punctuation, function words and numbers ("the east wing", "the children's room"); one word only at the
     * sentence's start, where the next word is usually the verb ("The board considers").
     */
    private static List<Phrase> phrases(String text, List<Words.Word> words) {
        List<Phrase> out = new ArrayList<>();
        for (int i = 0; i < words.size(); i++) {
            if (!GroundingCheck.DETERMINERS.contains(words.get(i).text().toLowerCase(Locale.ROOT))) continue;
            int most = i == 0 ? 1 : 2;
            List<Words.Word> np = new ArrayList<>();
            for (int j = i + 1; j < words.size() && np.size() < most; j++) {
                Words.Word w = words.get(j);
                if (w.text().equals("s") && w.start() > 0 && (text.charAt(w.start() - 1) == '\'' || text.charAt(w.start() - 1) == '’')) continue;
                if (!Words.content(w) || Words.negation(w) || NumberFacts.isNumberWord(w.text()) || Negations.clauseBreak(text, words.get(j - 1), w)) break;
                np.add(w);
            }
            if (i == 0 && np.size() == 1 && i + 2 < words.size() && words.get(i + 2).capitalized()) np.add(words.get(i + 2));
            if (np.isEmpty()) continue;
            Words.Word before = null;
            for (int j = i - 1; j >= Math.max(0, i - 3); j--) {
                if (Words.content(words.get(j))) {
                    before = words.get(j);
                    break;
                }
            }
            out.add(new Phrase(before, np));
        }
        return out;
    }
}
