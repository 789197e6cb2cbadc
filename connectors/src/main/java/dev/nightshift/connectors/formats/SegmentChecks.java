package dev.nightshift.connectors.formats;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The checks of one translated segment that need no model: numbers, links and addresses carried over, the text
 * translated at all, a length in proportion. Tags are compared and stripped before.
 */
final class SegmentChecks {
    /** Digits with the separators languages write inside numbers: {@code 2.1}, {@code 84,000}, {@code 1.234,50}, {@code 1'000} (a plain space is not one: {@code 2023 42} is two). */
    private static final Pattern NUMBER = Pattern.compile("\\d+(?:[.,\\u00A0\\u202F']\\d+)*");
    private static final Pattern LINK = Pattern.compile("(?:https?://|www\\.)[^\\s<>\"]+|[\\w.+-]+@[\\w-]+(?:\\.[\\w-]+)+");
    private static final Pattern WORD = Pattern.compile("\\p{L}{2,}");
    /** A translation this much shorter or longer than a source of {@link #MIN_LENGTH_CHECKED}+ characters is flagged. */
    private static final double MIN_RATIO = 0.25;
    private static final double MAX_RATIO = 3.0;
    private static final int MIN_LENGTH_CHECKED = 20;

    private SegmentChecks() {
    }

    /** The issues of one segment (tags already stripped from both texts). */
    static List<SegmentFlag> check(int segment, String source, String translation) {
        List<SegmentFlag> flags = new ArrayList<>();
        Set<String> targetNumbers = numbers(translation);
        List<String> lost = new ArrayList<>();
        for (String n : numbers(source)) if (!targetNumbers.contains(n)) lost.add(n);
        if (!lost.isEmpty()) flags.add(new SegmentFlag(segment, SegmentIssue.NUMBER_LOST, source, translation, String.join(", ", lost)));
        List<String> lostLinks = new ArrayList<>();
        for (String link : links(source)) if (!translation.contains(link)) lostLinks.add(link);
        if (!lostLinks.isEmpty()) flags.add(new SegmentFlag(segment, SegmentIssue.LINK_LOST, source, translation, String.join(", ", lostLinks)));
        if (words(source) >= 2 && spaced(source).equals(spaced(translation))) {
            flags.add(new SegmentFlag(segment, SegmentIssue.UNTRANSLATED, source, translation, "the translation is the source"));
        }
        int length = source.strip().length();
        if (length >= MIN_LENGTH_CHECKED) {
            double ratio = (double) translation.strip().length() / length;
            if (ratio < MIN_RATIO || ratio > MAX_RATIO) {
                flags.add(new SegmentFlag(segment, SegmentIssue.LENGTH, source, translation, String.format(Locale.ROOT, "%.2fx the source's length", ratio)));
            }
        }
        return flags;
    }

    /**
     * True when a text is worth sending to a model: it has words, and it is not a link, an address or a file name
     * alone (a picture's name in a DOCX is a text unit too).
     */
    static boolean translatable(String text) {
        String s = text.strip();
        if (words(s) == 0) return false;
        if (LINK.matcher(s).matches()) return false;
        return !(s.indexOf(' ') < 0 && s.matches("[\\w.~-]+\\.[A-Za-z0-9]{2,5}"));
    }

    /** The numbers of a text as digits only: {@code 84,000} and {@code 84.000} are the same number. */
    static Set<String> numbers(String text) {
        Set<String> out = new LinkedHashSet<>();
        Matcher m = NUMBER.matcher(text);
        while (m.find()) out.add(m.group().replaceAll("\\D", ""));
        return out;
    }

    private static List<String> links(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = LINK.matcher(text);
        while (m.find()) out.add(m.group().replaceAll("[.,;:)]+$", ""));
        return out;
    }

    private static int words(String text) {
        int n = 0;
        Matcher m = WORD.matcher(text);
        while (m.find()) n++;
        return n;
    }

    /** The text with its spacing made regular; case counts (a translation may differ from its source only in case). */
    private static String spaced(String text) {
        return text.strip().replaceAll("\\s+", " ");
    }
}
