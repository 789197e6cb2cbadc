package dev.nightshift.pipeline.core;

/**
 * Text from outside (file names, entry names from archives, parser messages) made safe to show: a file
 * may be named with escape sequences that move the cursor, recolour the screen or retitle the window, or
 * with bidirectional overrides that show a name backwards. Such characters become visible escapes
 * ({@code \x1b}, {@code \u202e}); everything else is left as it is. The terminal, Markdown exports and
 * the MCP server's text show names through this.
 */
public final class Visible {
    private Visible() {
    }

    public static String safe(String text) {
        if (text == null) return "";
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            String escape = escape(c);
            if (escape == null) {
                if (out != null) out.append(c);
                continue;
            }
            if (out == null) out = new StringBuilder(text.length() + 16).append(text, 0, i);
            out.append(escape);
        }
        return out == null ? text : out.toString();
    }

    /** Like {@link #safe}, and on one line: line breaks and tabs become visible too. */
    public static String line(String text) {
        return safe(text == null ? "" : text.replace("\r\n", "\n").replace("\n", "\\n").replace("\t", "\\t"));
    }

    private static String escape(char c) {
        if (c == '\n' || c == '\t') return null;
        if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) return String.format("\\x%02x", (int) c);
        // Bidirectional embeddings, overrides and isolates, and the line/paragraph separators.
        if ((c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) || c == 0x200e || c == 0x200f
                || c == 0x2028 || c == 0x2029 || c == 0x061c) {
            return String.format("\\u%04x", (int) c);
        }
        return null;
    }
}
