package dev.nightshift.pipeline.core;

import java.util.regex.Pattern;

/**
 * The lines an e-mail's extracted text starts with: {@code From:}, {@code To:}, {@code Cc:}, {@code Date:} and
 * {@code Subject:}, then a blank line, then the body. Extraction writes them (Tika gives an RFC 822 message's
 * body only); who wrote to whom and when is then in the text that is chunked, summarized, searched and checked.
 * An extractive summary leaves them out: they are a record, not sentences to pick.
 */
public final class MailHeader {
    private MailHeader() {
    }

    /** The fields, in the order they are written. */
    public static final String[] FIELDS = {"From", "To", "Cc", "Date", "Subject"};

    private static final Pattern BLOCK = Pattern.compile("\\A(?:(?:From|To|Cc|Date|Subject): [^\\n]*\\n)+\\n");

    /** The header block for the given values (null or blank ones left out), or "" when all are empty. */
    public static String of(String... values) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < FIELDS.length && i < values.length; i++) {
            String v = values[i];
            if (v != null && !v.isBlank()) out.append(FIELDS[i]).append(": ").append(v.replaceAll("\\s+", " ").strip()).append('\n');
        }
        return out.isEmpty() ? "" : out.append('\n').toString();
    }

    /** The number of characters the header block at the start of {@code text} takes, 0 when there is none. */
    public static int length(String text) {
        var m = BLOCK.matcher(text);
        return m.lookingAt() ? m.end() : 0;
    }
}
