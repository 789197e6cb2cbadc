package dev.nightshift.pipeline.text;

import java.util.Optional;

/**
 * Tells text that is not language: base64 blocks (a signed mail's payload, a web archive's resources),
 * hex dumps, binary data decoded as characters. Such text has nothing to summarize or translate, and a
 * summary of it would pass noise off as a result, so the run records it with a status of its own.
 *
 * <p>The test is on the shape of the characters, not on a dictionary, so it holds for every language:
 * <ul>
 *   <li><b>long runs</b>: 40 or more characters without a space or a field separator ({@code , ; |}).
 *       Words are shorter, even German compounds; base64 and binary property lists are not. Web
 *       addresses and scripts written without spaces (Chinese, Japanese, Thai, ...) are not counted.</li>
 *   <li><b>hex</b>: tokens of hex digits ({@code 4f}, {@code 0x1F}, {@code 00000010:}), when at least
 *       one in ten of them has a letter a-f and half of them a digit, as in a hex dump; plain numbers (a
 *       table of figures) have no letters, and words such as "bed" no digits.</li>
 *   <li><b>noise</b>: control characters and U+FFFD, what undecodable bytes become.</li>
 * </ul>
 * When these make up at least half of the non-space characters, the text is not language. Markup tags
 * ({@code <metadata name="dc:creator">}) are set aside first: XML is a container of language, not noise.
 */
public final class NotLanguage {
    /** Texts with fewer non-space characters are too short to judge and pass. */
    static final int MIN_CHARS = 40;
    /** A run of this many characters without a space is not a word. */
    static final int LONG_RUN = 40;
    /** Share of junk characters from which a text is not language. */
    static final double THRESHOLD = 0.5;
    /** The beginning is enough to judge; reading more only costs time on huge texts. */
    static final int SAMPLE_CHARS = 200_000;

    private NotLanguage() {
    }

    /** Why the text is not language ("87% base64-like runs ..."), or empty when it is (or too short to tell). */
    public static Optional<String> reason(String text) {
        String sample = text.length() > SAMPLE_CHARS ? text.substring(0, SAMPLE_CHARS) : text;
        sample = LanguageSample.MARKUP.matcher(sample).replaceAll(" ");
        long nonSpace = 0;
        long longRuns = 0;
        long hexChars = 0;
        long hexTokens = 0;
        long hexWithLetters = 0;
        long hexWithDigits = 0;
        long noise = 0;
        int i = 0;
        int n = sample.length();
        while (i < n) {
            char c = sample.charAt(i);
            if (isSpace(c) || isSeparator(c)) {
                if (!isSpace(c)) nonSpace++;
                i++;
                continue;
            }
            int start = i;
            while (i < n && !isSpace(sample.charAt(i)) && !isSeparator(sample.charAt(i))) i++;
            String token = sample.substring(start, i);
            nonSpace += token.length();
            long bad = token.chars().filter(NotLanguage::isNoise).count();
            noise += bad;
            if (bad > 0) continue;
            if (token.length() >= LONG_RUN && !isAddress(token) && !isUnspacedScript(token)) {
                longRuns += token.length();
            } else if (isHexShaped(token)) {
                hexChars += token.length();
                hexTokens++;
                if (token.chars().anyMatch(ch -> (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F'))) hexWithLetters++;
                if (token.chars().anyMatch(ch -> ch >= '0' && ch <= '9')) hexWithDigits++;
            }
        }
        // A dump mixes both: most of its bytes have a digit, some a letter. Prose has words like "bed" and
        // "face" without digits; a table of figures has digits without letters.
        long hex = hexWithLetters * 10 >= hexTokens && hexWithDigits * 2 >= hexTokens ? hexChars : 0;
        if (nonSpace < MIN_CHARS) return Optional.empty();
        long junk = longRuns + hex + noise;
        if (junk < THRESHOLD * nonSpace) return Optional.empty();
        String what = longRuns >= hex && longRuns >= noise
                ? "runs of " + LONG_RUN + " or more characters without a space (base64 or binary data)"
                : hex >= noise ? "hex digits (a hex dump)" : "control characters and undecodable bytes (binary data)";
        return Optional.of("the text is not language: " + Math.round(100.0 * junk / nonSpace) + "% of it is " + what);
    }

    /**
     * Every Unicode space separates words: Java's whitespace leaves out the no-break spaces (U+00A0,
     * U+2007, U+202F) that HTML pages and some manuals put between every word, which made whole pages of
     * prose look like one unbroken run.
     */
    static boolean isSpace(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c);
    }

    private static boolean isSeparator(char c) {
        return c == ',' || c == ';' || c == '|';
    }

    private static boolean isNoise(int c) {
        return c == '\uFFFD' || (Character.isISOControl(c) && !Character.isWhitespace(c));
    }

    private static boolean isAddress(String token) {
        return token.contains("://") || token.startsWith("www.") || (token.contains("@") && token.length() < 120);
    }

    /** Mostly letters of a script written without spaces between words. */
    private static boolean isUnspacedScript(String token) {
        int unspaced = 0;
        for (int i = 0; i < token.length(); ) {
            int cp = token.codePointAt(i);
            i += Character.charCount(cp);
            Character.UnicodeScript script = Character.UnicodeScript.of(cp);
            switch (script) {
                case HAN, HIRAGANA, KATAKANA, THAI, LAO, KHMER, MYANMAR, TIBETAN, HANGUL -> unspaced++;
                default -> { }
            }
        }
        return unspaced * 2 >= token.codePointCount(0, token.length());
    }

    /** Hex digits, optionally after {@code 0x} or before a colon (a dump's offsets). */
    private static boolean isHexShaped(String token) {
        String t = token.startsWith("0x") || token.startsWith("0X") ? token.substring(2) : token;
        t = t.endsWith(":") ? t.substring(0, t.length() - 1) : t;
        if (t.length() < 2 || t.length() > 16) return false;
        for (int i = 0; i < t.length(); i++) {
            if (Character.digit(t.charAt(i), 16) < 0) return false;
        }
        return true;
    }
}
