package dev.nightshift.pipeline.text;

import java.util.regex.Pattern;

/**
 * The part of a text a language detector should see: words only, without markup, addresses and
 * numbers, which carry no language but dilute the detector's evidence (a PDF of headers, footers and
 * numbered lists was "unknown" with all of it and English without it), up to {@link #MAX_CHARS}.
 *
 * @param text    the words, separated by single spaces
 * @param letters how many letters they hold
 */
public record LanguageSample(String text, int letters) {
    /** The first few thousand characters of words decide; more only costs time. */
    public static final int MAX_CHARS = 4_000;
    /** Fewer letters than this are too short to tell a language by. */
    public static final int MIN_LETTERS = 40;

    /** Tags and entities of HTML and XML. */
    static final Pattern MARKUP = Pattern.compile("<[^<>]{0,300}>|&[a-zA-Z]{2,8};|&#\\d{1,6};");
    private static final Pattern ADDRESS = Pattern.compile("\\S*(://|www\\.|@)\\S*");

    /** The sample of a text, whatever its size (only its beginning is read). */
    public static LanguageSample of(String text) {
        String head = text.length() > MAX_CHARS * 8 ? text.substring(0, MAX_CHARS * 8) : text;
        head = ADDRESS.matcher(MARKUP.matcher(head).replaceAll(" ")).replaceAll(" ");
        StringBuilder out = new StringBuilder();
        int letters = 0;
        for (String token : head.split("\\s+")) {
            String word = strip(token);
            if (word.isEmpty() || word.chars().anyMatch(Character::isDigit) || word.chars().noneMatch(Character::isLetter)) continue;
            int room = MAX_CHARS - out.length() - (out.isEmpty() ? 0 : 1);
            if (room <= 0) break;
            if (word.length() > room) word = word.substring(0, room); // scripts without spaces: one long "word"
            if (!out.isEmpty()) out.append(' ');
            out.append(word);
            letters += (int) word.chars().filter(Character::isLetter).count();
        }
        return new LanguageSample(out.toString(), letters);
    }

    /** True when the text holds too few letters to tell its language. */
    public boolean tooShort() {
        return letters < MIN_LETTERS;
    }

    /** A word without the punctuation around it. */
    private static String strip(String token) {
        int start = 0;
        int end = token.length();
        while (start < end && !Character.isLetterOrDigit(token.charAt(start))) start++;
        while (end > start && !Character.isLetterOrDigit(token.charAt(end - 1))) end--;
        return token.substring(start, end);
    }
}
