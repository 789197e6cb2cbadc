package dev.nightshift.jobs.run;

import dev.nightshift.jobs.cli.ExitCodes;
import dev.nightshift.jobs.cli.UserException;

import java.util.Locale;

/** Language codes given on the command line (en, de, pt-BR), checked against the languages Java knows. */
public final class LanguageOption {
    private LanguageOption() {
    }

    /**
     * The language of {@code value}, for {@code option}'s message.
     *
     * @throws IllegalArgumentException saying what the option takes, for a code Java does not know
     */
    public static Locale known(String option, String value) {
        Locale l = Locale.forLanguageTag(value.strip());
        // Java names every language it knows; for an unknown code the "name" is the code itself.
        if (l.getLanguage().isEmpty() || l.getDisplayLanguage(Locale.ENGLISH).equalsIgnoreCase(l.getLanguage())) {
            throw new IllegalArgumentException(option + " takes a language code such as en, de or fr, not '" + value + "'");
        }
        return l;
    }

    /** As {@link #known}, a bad code being a usage error of the command (exit 2). */
    static Locale parse(String option, String value) {
        try {
            return known(option, value);
        } catch (IllegalArgumentException e) {
            throw new UserException(ExitCodes.USAGE, e.getMessage());
        }
    }
}
