package dev.nightshift.jobs;

import java.util.Locale;

/** Language codes given on the command line (en, de, pt-BR), checked against the languages Java knows. */
final class LanguageOption {
    private LanguageOption() {
    }

    static Locale parse(String option, String value) {
        Locale l = Locale.forLanguageTag(value.strip());
        // Java names every language it knows; for an unknown code the "name" is the code itself.
        if (l.getLanguage().isEmpty() || l.getDisplayLanguage(Locale.ENGLISH).equalsIgnoreCase(l.getLanguage())) {
            throw new UserException(ExitCodes.USAGE, option + " takes a language code such as en, de or fr, not '" + value + "'");
        }
        return l;
    }
}
