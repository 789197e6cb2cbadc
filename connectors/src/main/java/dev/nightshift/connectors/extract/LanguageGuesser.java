package dev.nightshift.connectors.extract;

import org.apache.tika.langdetect.opennlp.OpenNLPDetector;
import dev.nightshift.pipeline.text.LanguageSample;
import org.apache.tika.language.detect.LanguageResult;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The language of a text as an ISO 639-1 code ({@code en}, {@code de}), from OpenNLP's detector as
 * packaged by Tika, run on the text's {@link LanguageSample} (its first few thousand characters of words,
 * without markup, addresses and numbers). A text with too few letters, or without a clear winner, gets
 * no language rather than a guess.
 *
 * <p>Measured on the 309 usable extractions of ../shared/corpus (Apache Tika's test files, most of them
 * a line or two): with the whole text and a 2x margin, 57 had a language; with the sample and the rule
 * below, see docs/runs.md ("Languages").
 */
final class LanguageGuesser {
    /**
     * The winner's score over the runner-up's. OpenNLP calls even clean paragraphs "LOW" confidence; what
     * separates an answer from noise is the margin (0.27 vs 0.05 for an English letter, about even for a
     * list of names). 1.5 kept every wrong answer out of the corpus sample but one (a pangram taken for Latin).
     */
    static final double MARGIN = 1.5;
    private static final Map<String, String> ISO3_TO_ISO1 = new HashMap<>();

    static {
        for (String iso1 : Locale.getISOLanguages()) {
            try {
                ISO3_TO_ISO1.put(Locale.forLanguageTag(iso1).getISO3Language(), iso1);
            } catch (java.util.MissingResourceException ignored) {
                // no three-letter code for this language
            }
        }
        // OpenNLP's model tells written varieties apart that are one language to a reader.
        ISO3_TO_ISO1.put("cmn", "zh");
        ISO3_TO_ISO1.put("zho-trad", "zh");
        ISO3_TO_ISO1.put("zho-simp", "zh");
    }

    /** The ISO 639-1 code of the text's language (or its 639-3 code if it has none), or null when unsure. */
    String guess(String text) {
        LanguageSample sample = LanguageSample.of(text);
        if (sample.tooShort()) return null;
        OpenNLPDetector detector = new OpenNLPDetector();
        try {
            detector.loadModels();
        } catch (IOException e) {
            throw new UncheckedIOException("the language model bundled with Tika cannot be read", e);
        }
        detector.addText(sample.text());
        List<LanguageResult> ranked = detector.detectAll();
        if (ranked.isEmpty()) return null;
        String best = code(ranked.get(0).getLanguage());
        // The runner-up is the best other language: varieties of the winner (Mandarin after traditional
        // Chinese) do not count against it. Their scores are not pooled: every one of OpenNLP's hundred
        // languages gets a little, and two littles would outweigh a real but weak answer.
        float second = ranked.stream().skip(1).filter(r -> !code(r.getLanguage()).equals(best))
                .map(LanguageResult::getRawScore).findFirst().orElse(0f);
        // Romanized varieties (hin-rom) are what the model says of lists of names and identifiers.
        if (ranked.get(0).getRawScore() < MARGIN * second || best.endsWith("-rom")) return null;
        return best;
    }

    private static String code(String openNlp) {
        return ISO3_TO_ISO1.getOrDefault(openNlp, openNlp);
    }
}
