package dev.nightshift.pipeline.ground;

import dev.nightshift.pipeline.core.Evidence;
import dev.nightshift.pipeline.core.SentenceCheck;
import dev.nightshift.pipeline.core.Grounding;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks a text against its source, sentence by sentence, without a model.
 *
 * <p>For each sentence: <b>alignment</b> picks up to three source sentences that together hold most of its
 * words, rare words weighing more (idf); the share of weight they hold is the score. <b>Facts</b> must then
 * be found in a compatible form near that evidence: numbers ("4 %" = "four percent", "4,120" = "4120"),
 * dates ("31 March 2027" = "2027-03-31"), and names (capitalized words inside a sentence). A fact found only
 * in an unrelated part of the source does not count: "Lyon" elsewhere in a report does not support "the
 * meeting was in Lyon" when the meeting's sentence says Paris. <b>Negation</b> must agree ("was not
 * entered" against "was entered"), and two names must stand in the same order unless one sentence is in
 * the passive ("Brandt paid Okafor" against "Okafor paid Brandt").
 *
 * <p>What follows the source's structure (table rows, passages, versions, specific things that must meet) is in
 * {@link Structure}; agreement on negation and opposites in {@link Negations}.
 *
 * <p>A translation is checked in {@link Mode#FACTS} only: its words are in another language, but its
 * numbers and dates must be the source's.
 */
public final class GroundingCheck {
    /** Stored with every result; a new version of the method gets a new name. */
    public static final String VERSION = "lexical.v3";
    /** Below this share of its weight found together in the source, a sentence is not supported. */
    public static final double MIN_SCORE = 0.5;
    /** A source sentence sharing at least this share of a claim's weight may hold its facts. */
    private static final double RELATED = 0.2;
    private static final int MAX_EVIDENCE = 3;
    private static final int MAX_FLAGS = 10;
    /** In this many sentences of the source or more, a name or number is what the document is about. */
    static final int TOPIC = 3;
    /** What a summary says about its source rather than about the world: weighs nothing. */
    static final Set<String> META = Words.set("document", "documents", "text", "letter", "article", "report", "author",
            "writer", "describes", "describe", "explains", "explain", "discusses", "discuss", "mentions", "mention", "states",
            "summary", "says", "notes", "note", "talks", "outlines", "highlights", "informs", "tells", "about", "main",
            "lists", "shows", "contains", "sheet", "spreadsheet", "worksheet", "table", "column", "columns", "row", "rows",
            "dokument", "text", "brief", "bericht", "artikel", "beschreibt", "erklärt");
    /** Below this score a sentence is loosely supported: a subject the source never names then makes it unsupported. */
    static final double LOOSE = 0.75;
    static final Set<String> PASSIVE = Words.set("by", "von", "durch", "par", "por", "door");
    static final Set<String> DETERMINERS = Words.set("the", "a", "an", "der", "die", "das", "den", "dem", "des", "le", "la",
            "les", "el", "los", "las", "de", "your", "our", "my", "his", "her", "their", "its", "this", "these", "those",
            "ihr", "ihre", "sein", "seine", "unser", "unsere");

    /** What a check looks at. */
    public enum Mode {
        /** Words, facts, negation and roles: summaries and answers. */
        ALIGN,
        /** Numbers and dates only, anywhere in the source: translations. */
        FACTS
    }

    /** The content-word keys of a text (as alignment compares them): does a passage speak of a question's things? */
    public static Set<String> contentKeys(String text) {
        Set<String> out = new HashSet<>();
        for (Words.Word w : Words.of(text, 0, text.length())) if (Words.content(w) && !META.contains(w.text().toLowerCase(Locale.ROOT))) out.add(w.key());
        return out;
    }

    public Grounding check(String claims, SourceText source, Mode mode) {
        List<SentenceCheck> out = new ArrayList<>();
        for (Span s : Sentences.split(claims)) out.add(sentence(claims, s, source, mode));
        return new Grounding(VERSION, out);
    }

    private SentenceCheck sentence(String claims, Span s, SourceText source, Mode mode) {
        List<Fact> facts = new ArrayList<>(DateFacts.find(claims, s.start(), s.end()));
        facts.addAll(NumberFacts.find(claims, s.start(), s.end(), facts));
        if (mode == Mode.FACTS) return factsOnly(claims, s, facts, source);
        List<Words.Word> words = Words.of(claims, s.start(), s.end());

        // The words that carry content, outside the facts, with their weights.
        Map<String, Double> weights = new LinkedHashMap<>();
        Set<Integer> joined = Structure.joinedWords(claims, words, source, weights);
        for (int i = 0; i < words.size(); i++) {
            Words.Word w = words.get(i);
            if (joined.contains(i) || !Words.content(w) || inside(facts, w.start()) || META.contains(w.text().toLowerCase(Locale.ROOT))) continue;
            weights.put(w.key(), source.weight(w.key()));
        }
        double total = weights.values().stream().mapToDouble(Double::doubleValue).sum();

        // Alignment: greedily the source sentences that add most of the weight not yet found.
        Set<Integer> candidates = new TreeSet<>();
        for (String k : weights.keySet()) candidates.addAll(source.byKey.getOrDefault(k, List.of()));
        Set<String> covered = new HashSet<>();
        TreeSet<Integer> evidence = new TreeSet<>();
        int primary = -1; // the source sentence holding most of the claim
        double primaryShare = 0;
        double found = 0;
        // What the document's name says is said: "Debian" in debian.csv.
        for (Map.Entry<String, Double> e : weights.entrySet()) {
            if (source.titleHas(e.getKey())) {
                covered.add(e.getKey());
                found += e.getValue();
            }
        }
        while (evidence.size() < MAX_EVIDENCE && total > 0) {
            int best = -1;
            double bestGain = 0;
            for (int c : candidates) {
                if (evidence.contains(c)) continue;
                double gain = 0;
                for (Map.Entry<String, Double> e : weights.entrySet()) {
                    if (!covered.contains(e.getKey()) && source.keys.get(c).contains(e.getKey())) gain += e.getValue();
                }
                if (gain > bestGain) {
                    bestGain = gain;
                    best = c;
                }
            }
            if (best < 0 || bestGain < 0.1 * total && !evidence.isEmpty()) break;
            // A sentence far from the best evidence adds half its weight: words gathered from unrelated
            // places are weaker support than the same words in one passage.
            if (primary >= 0 && !Structure.together(source, primary, best)) bestGain /= 2;
            evidence.add(best);
            if (primary < 0) {
                primary = best;
                primaryShare = bestGain / total;
            }
            found += bestGain;
            for (String k : weights.keySet()) if (source.keys.get(best).contains(k)) covered.add(k);
        }
        double score = total == 0 ? (evidence.isEmpty() && !facts.isEmpty() ? 0 : 1) : found / total;

        List<String> flags = new ArrayList<>();
        // Facts: found in a compatible form in the evidence, beside it, or in a sentence about the same thing.
        for (Fact f : facts) {
            int at = nearest(holding(f, source), null, source, evidence, primary, weights, total, primaryShare);
            if (at >= 0) evidence.add(at);
            else if (!source.titleHolds(f)) flags.add(f.kind().flag() + ":" + f.text());
        }
        // Names: capitalized words inside the sentence (its first word is capitalized anyway).
        for (Words.Word w : names(claims, words, facts)) {
            int at = nearest(source.byKey.getOrDefault(w.key(), List.of()), w.key(), source, evidence, primary, weights, total, primaryShare);
            if (at >= 0) evidence.add(at);
            else if (!source.titleHas(w.key())) flags.add("name:" + w.text());
        }
        List<Identifiers.Identifier> identifiers = Identifiers.find(claims, s.start(), s.end());
        Structure.rows(claims, words, facts, identifiers, source, evidence, flags);
        if (flags.isEmpty()) Structure.apart(words, facts, identifiers, source, flags);
        // Options, identifiers and quoted strings: found as written, whatever the other words' overlap.
        for (Identifiers.Identifier id : identifiers) {
            if (!source.holds(id.text(), id.caseSensitive())) flags.add("identifier:" + id.text());
        }
        Structure.versions(claims, s, facts, source, evidence, primary, flags);
        Negations.negation(claims, words, source, evidence, primary, weights.keySet(), flags);
        Negations.opposites(words, source, primary, flags);
        if (primary >= 0) Roles.swapped(claims, words, facts, source, Set.of(primary), flags);
        Roles.substitutions(claims, words, source, evidence, primary, weights.keySet(), score, flags);
        if (score < MIN_SCORE) flags.add(0, "words");

        List<Evidence> spans = spans(source, evidence);
        return new SentenceCheck(s.start(), s.end(), s.of(claims), flags.isEmpty(), round(score), spans, tidy(flags));
    }

    /** The source sentences, by number, as evidence spans of the source's text. */
    private static List<Evidence> spans(SourceText source, Set<Integer> sentences) {
        List<Evidence> out = new ArrayList<>();
        for (int e : sentences) {
            Span span = source.sentences.get(e);
            out.add(new Evidence(span.start(), span.end(), span.of(source.text)));
        }
        return out;
    }

    /** At most {@link #MAX_FLAGS} flags of at most 60 characters each, on one line: a garbled sentence stays readable. */
    private static List<String> tidy(List<String> flags) {
        List<String> out = new ArrayList<>();
        for (String f : flags) {
            if (out.size() == MAX_FLAGS) break;
            String one = f.replaceAll("\\s+", " ");
            one = one.length() <= 60 ? one : one.substring(0, 59) + "…";
            if (!out.contains(one)) out.add(one);
        }
        return out;
    }

    /** A translation's sentence: every number and date must be somewhere in the source. */
    private SentenceCheck factsOnly(String claims, Span s, List<Fact> facts, SourceText source) {
        List<String> flags = new ArrayList<>();
        TreeSet<Integer> evidence = new TreeSet<>();
        int found = 0;
        for (Fact f : facts) {
            List<Integer> at = holding(f, source);
            if (at.isEmpty()) {
                flags.add(f.kind().flag() + ":" + f.text());
            } else {
                found++;
                evidence.add(at.get(0));
            }
        }
        List<Evidence> spans = spans(source, evidence);
        double score = facts.isEmpty() ? 1 : (double) found / facts.size();
        return new SentenceCheck(s.start(), s.end(), s.of(claims), flags.isEmpty(), round(score), spans, tidy(flags));
    }

    /** Every source sentence holding a reading of the fact. */
    static List<Integer> holding(Fact f, SourceText source) {
        Set<Integer> out = new TreeSet<>();
        if (f.kind() == Fact.Kind.NUMBER) {
            for (String r : f.readings()) out.addAll(source.byNumber.getOrDefault(r, List.of()));
        } else {
            for (int i = 0; i < source.facts.size(); i++) {
                for (Fact g : source.facts.get(i)) if (f.foundIn(g)) out.add(i);
            }
        }
        return new ArrayList<>(out);
    }

    /**
     * Of the sentences holding a fact or name: the best evidence or one beside it; else one about the same
     * thing, judged without the fact's own word (a sentence chosen only because it names "Lyon" says nothing
     * about the meeting). Another evidence sentence needs half of {@link #RELATED} of the claim's weight, any other
     * sentence nearly as much as the best evidence holds. -1 when none.
     */
    private static int nearest(List<Integer> holding, String ownKey, SourceText source, Set<Integer> evidence, int primary,
                               Map<String, Double> weights, double total, double primaryShare) {
        for (int h : holding) if (h == primary || Math.abs(h - primary) == 1 && source.table(h) < 0 && source.table(primary) < 0) return h;
        // A row of the table the best evidence is the caption of (the line or two above its header).
        for (int h : holding) if (source.table(h) >= 0 && source.tableFirst(h) > primary && source.tableFirst(h) - primary <= 2) return h;
        // Another row of the same table: whether the values pair up is the row rule's to judge.
        if (source.table(primary) >= 0) for (int h : holding) if (source.table(h) == source.table(primary)) return h;
        // A row's header names what its cells are.
        if (source.header(primary) >= 0 && holding.contains(source.header(primary))) return source.header(primary);
        // Or in the heading the best evidence stands under (a release's version and date above its items).
        int heading = source.heading(primary);
        if (heading >= 0 && holding.contains(heading)) return heading;
        // What the whole document is about is supported wherever it stands: what its first sentence (a title, a
        // greeting) names, and a name found in three sentences or more. Not a number found three times: "2" in
        // three dates of a changelog says nothing about "two decades".
        if (!holding.isEmpty() && (holding.get(0) == 0 || ownKey != null && holding.size() >= TOPIC)) return holding.get(0);
        double rest = total - (ownKey == null ? 0 : weights.getOrDefault(ownKey, 0.0));
        if (rest <= 0) return holding.isEmpty() ? -1 : holding.get(0);
        int best = -1;
        double bestShare = 0;
        for (int h : holding) {
            double share = 0;
            for (Map.Entry<String, Double> e : weights.entrySet()) {
                if (!e.getKey().equals(ownKey) && source.keys.get(h).contains(e.getKey())) share += e.getValue();
            }
            share /= rest;
            // Evidence of the same passage may hold it with little of the claim; elsewhere it must be about the same thing.
            double needed = evidence.contains(h) && Structure.together(source, primary, h) ? RELATED / 2 : Math.max(RELATED, 0.8 * primaryShare);
            if (share >= needed && share > bestShare) {
                bestShare = share;
                best = h;
            }
        }
        return best;
    }

    /** Capitalized words after a sentence's first word, that are not function words, facts, months or days. */
    private static List<Words.Word> names(String text, List<Words.Word> words, List<Fact> facts) {
        List<Words.Word> out = new ArrayList<>();
        for (int i = 1; i < words.size(); i++) {
            Words.Word w = words.get(i);
            if (!w.capitalized() || inside(facts, w.start()) || Words.STOP.contains(w.text().toLowerCase(Locale.ROOT))) continue;
            if (w.text().codePoints().noneMatch(Character::isLetter)) continue;
            if (startsClause(text, w.start())) continue; // after a colon, a quote or a bullet a sentence starts again
            out.add(w);
        }
        return out;
    }

    private static boolean startsClause(String text, int at) {
        int j = at - 1;
        while (j >= 0 && (text.charAt(j) == ' ' || text.charAt(j) == '"' || text.charAt(j) == '“' || text.charAt(j) == '(')) j--;
        return j >= 0 && (text.charAt(j) == ':' || text.charAt(j) == '\n' || text.charAt(j) == ';');
    }

    static boolean inside(List<Fact> facts, int at) {
        for (Fact f : facts) if (at >= f.start() && at < f.end()) return true;
        return false;
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
