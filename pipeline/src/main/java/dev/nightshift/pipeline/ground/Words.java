package dev.nightshift.pipeline.ground;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Words of a sentence for lexical alignment: where they are, whether they are capitalized, and a key under
 * which inflected forms meet ("transferred" and "transfer", "meters" and "meter", "Okafor's" and "Okafor").
 * The key is a prefix, not a stemmer: it works the same in every language the archive holds, and a claim
 * checked against its own source rarely meets two different words sharing six letters.
 */
final class Words {
    private Words() {
    }

    /** One word: {@code [start, end)} in the text it came from. */
    record Word(int start, int end, String text, String key, boolean capitalized) {
    }

    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{M}\\p{N}]+");
    private static final int KEY_LENGTH = 6;

    /** Function words of the languages seen most (en, de, fr, es, nl, it): they carry no content to align. */
    static final Set<String> STOP = Words.set(
            "a", "an", "the", "and", "or", "but", "of", "to", "in", "on", "at", "by", "for", "with", "from", "as", "is", "are",
            "was", "were", "be", "been", "being", "has", "have", "had", "do", "does", "did", "it", "its", "this", "that", "these",
            "those", "there", "their", "they", "them", "he", "she", "his", "her", "we", "our", "you", "your", "i", "my", "me",
            "which", "who", "whom", "what", "when", "where", "why", "how", "so", "than", "then", "also", "into", "about",
            "over", "under", "after", "before", "can", "could", "will", "would", "should", "may", "might", "must", "shall",
            "if", "because", "while", "such", "all", "any", "some", "each", "every", "other", "more", "most", "very", "only",
            "just", "up", "out", "s", "t", "per", "via", "both", "between", "during", "within", "through", "still", "many",
            "much", "own", "same", "too", "one", "ones", "here", "now", "us", "him", "yes", "being", "upon", "whose", "whether",
            "der", "die", "das", "den", "dem", "des", "ein", "eine", "einer", "eines", "einem", "einen", "und", "oder", "aber",
            "ist", "sind", "war", "waren", "wird", "werden", "wurde", "wurden", "hat", "haben", "mit", "von", "zu", "zum",
            "zur", "im", "in", "auf", "für", "an", "am", "als", "auch", "bei", "nach", "aus", "um", "sich", "es", "er", "sie",
            "wir", "ihr", "dass", "daß", "so", "wie", "noch", "nur", "vor", "über", "unter", "durch", "bis", "man", "kann",
            "können", "muss", "müssen", "soll", "sollen", "dann", "diese", "dieser", "dieses", "jedoch", "sehr", "mehr",
            "le", "la", "les", "un", "une", "des", "du", "de", "et", "ou", "est", "sont", "dans", "sur", "pour", "par", "avec",
            "au", "aux", "ce", "cette", "ces", "qui", "que", "il", "elle", "ils", "elles", "nous", "vous", "se", "sa", "son",
            "ses", "leur", "leurs", "été", "être", "a", "ont", "el", "los", "las", "y", "o", "en", "es", "son", "con", "por",
            "para", "del", "al", "lo", "su", "sus", "como", "más", "het", "een", "van", "op", "il", "di", "che", "e", "per");

    /** Words that negate, or say "instead of": a claim and its source must agree on them. */
    static final Set<String> NEGATIONS = Words.set(
            "not", "no", "never", "none", "nothing", "neither", "nor", "without", "cannot", "instead", "rather",
            "nicht", "kein", "keine", "keinen", "keinem", "keiner", "keines", "nie", "niemals", "ohne", "statt", "anstatt",
            "ne", "pas", "jamais", "sans", "aucun", "aucune", "non", "nunca", "sin", "ningún", "ninguna", "niet", "geen");

    /** A set of words that may repeat (lists of several languages share words). */
    static Set<String> set(String... words) {
        return Set.copyOf(java.util.Arrays.asList(words));
    }

    static List<Word> of(String text, int from, int to) {
        List<Word> out = new ArrayList<>();
        Matcher m = WORD.matcher(text).region(from, to);
        while (m.find()) {
            String w = m.group();
            boolean capitalized = Character.isUpperCase(w.codePointAt(0));
            out.add(new Word(m.start(), m.end(), w, key(w), capitalized));
        }
        return out;
    }

    /** The key forms of one word meet under: lower case, six letters at most, a plural s dropped. */
    static String key(String word) {
        String w = word.toLowerCase(Locale.ROOT);
        if (w.length() > KEY_LENGTH) return w.substring(0, KEY_LENGTH);
        if (w.length() >= 4 && w.endsWith("s") && !w.endsWith("ss")) return w.substring(0, w.length() - 1);
        return w;
    }

    /** Counts for alignment: a word with letters that is no function word ("2027" is a fact, not a word). */
    static boolean content(Word w) {
        return w.text().length() > 1 && !STOP.contains(w.text().toLowerCase(Locale.ROOT))
                && w.text().codePoints().anyMatch(Character::isLetter);
    }

    static boolean negation(Word w) {
        return NEGATIONS.contains(w.text().toLowerCase(Locale.ROOT));
    }

    /** "don't", "isn't": a negation written into the verb. */
    static boolean negatedVerb(String text, Word w) {
        return w.text().equals("t") && w.start() >= 2 && (text.charAt(w.start() - 1) == '\'' || text.charAt(w.start() - 1) == '’')
                && Character.toLowerCase(text.charAt(w.start() - 2)) == 'n';
    }
}
