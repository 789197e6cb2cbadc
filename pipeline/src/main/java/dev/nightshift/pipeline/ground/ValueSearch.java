package dev.nightshift.pipeline.ground;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Where a single value stands in a text, with the matchers the grounding check uses: a number in any of
 * its spellings ({@code 1234.50} is found as "1.234,50", "1,234.50", "1 234,50"; {@code 12} as
 * "twelve"), a date in any form ("4 March 2027", "03/04/2027", "2027-03-04"), and text as written, with
 * case and runs of blanks ignored. For the evidence of extracted fields.
 */
public final class ValueSearch {
    private ValueSearch() {
    }

    /** The first place {@code text} writes the number {@code value}. */
    public static Optional<Span> number(String text, BigDecimal value) {
        String wanted = value.stripTrailingZeros().toPlainString();
        List<Fact> dates = DateFacts.find(text, 0, text.length());
        for (Fact f : NumberFacts.find(text, 0, text.length(), dates)) {
            if (f.readings().contains(wanted)) return Optional.of(new Span(f.start(), f.end()));
        }
        return Optional.empty();
    }

    /** The first place {@code text} writes the date {@code value} in full (day, month and year). */
    public static Optional<Span> date(String text, LocalDate value) {
        String wanted = value.getYear() + "-" + value.getMonthValue() + "-" + value.getDayOfMonth();
        for (Fact f : DateFacts.find(text, 0, text.length())) {
            for (String r : f.readings()) if (r.equals(wanted)) return Optional.of(new Span(f.start(), f.end()));
        }
        return Optional.empty();
    }

    /** The first place {@code text} writes {@code value}, ignoring case and how many blanks (spaces, line breaks) stand between words. */
    public static Optional<Span> words(String text, String value) {
        String[] parts = value.strip().split("\\s+");
        if (parts.length == 0 || parts[0].isEmpty()) return Optional.empty();
        String lower = text.toLowerCase(Locale.ROOT);
        String first = parts[0].toLowerCase(Locale.ROOT);
        // toLowerCase keeps the length for the scripts documents use here; where it does not, offsets would drift: search as written.
        if (lower.length() != text.length()) lower = text;
        for (int at = lower.indexOf(first); at >= 0; at = lower.indexOf(first, at + 1)) {
            int end = matchFrom(lower, at, parts);
            if (end >= 0 && boundary(text, at - 1) && boundary(text, end)) return Optional.of(new Span(at, end));
        }
        return Optional.empty();
    }

    /** The end of {@code parts} written from {@code at} with blanks between them, or -1. */
    private static int matchFrom(String lower, int at, String[] parts) {
        int i = at;
        for (int p = 0; p < parts.length; p++) {
            if (p > 0) {
                int blanks = i;
                while (i < lower.length() && Character.isWhitespace(lower.charAt(i))) i++;
                if (i == blanks) return -1;
            }
            String part = parts[p].toLowerCase(Locale.ROOT);
            if (!lower.startsWith(part, i)) return -1;
            i += part.length();
        }
        return i;
    }

    /** True when the character at {@code i} does not continue a word (so "Acme" is not found inside "Acmes"). */
    private static boolean boundary(String text, int i) {
        return i < 0 || i >= text.length() || !Character.isLetterOrDigit(text.charAt(i));
    }
}
