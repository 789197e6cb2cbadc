package dev.nightshift.connectors.extract;

import org.apache.tika.langdetect.opennlp.OpenNLPDetector;
import org.apache.tika.language.detect.LanguageConfidence;
import org.apache.tika.language.detect.LanguageResult;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The language of a text as an ISO 639-1 code ({@code en}, {@code de}), from OpenNLP's detector as
 * packaged by Tika. Short or mixed texts give no reliable answer, and then none is given.
 */
final class LanguageGuesser {
    /** Enough text for a confident guess; more only costs time. */
    private static final int SAMPLE_CHARS = 20_000;
    private static final Map<String, String> ISO3_TO_ISO1 = new HashMap<>();

    static {
        for (String iso1 : Locale.getISOLanguages()) {
            try {
                ISO3_TO_ISO1.put(Locale.forLanguageTag(iso1).getISO3Language(), iso1);
            } catch (java.util.MissingResourceException ignored) {
                // no three-letter code for this language
            }
        }
    }

    /** The ISO 639-1 code of the text's language, or null when the detector has no clear answer. */
    String guess(String text) {
        if (text.strip().length() < 20) return null;
        List<LanguageResult> results;
        OpenNLPDetector detector = new OpenNLPDetector();
        try {
            detector.loadModels();
        } catch (IOException e) {
            throw new UncheckedIOException("the language model bundled with Tika cannot be read", e);
        }
        detector.addText(text.substring(0, Math.min(text.length(), SAMPLE_CHARS)));
        results = detector.detectAll();
        // OpenNLP calls even clean paragraphs "LOW" confidence; what separates a real answer from noise
        // is the margin over the runner-up (0.29 vs 0.07 for a German page, about even for gibberish).
        if (results.isEmpty() || results.get(0).getConfidence() == LanguageConfidence.NONE) return null;
        float best = results.get(0).getRawScore();
        float second = results.size() > 1 ? results.get(1).getRawScore() : 0f;
        if (best < 2 * second) return null;
        String code = results.get(0).getLanguage();
        if (code.length() == 2) return code;
        return ISO3_TO_ISO1.getOrDefault(code, code);
    }
}
