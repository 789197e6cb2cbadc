package dev.nightshift.pipeline.text;

/**
 * The blank lines a parser writes before a document's first line. Their number depends on where the document was
 * found, not on what it says: the same PDF's text came with 35 of them read as a file, 39 inside a spreadsheet's
 * picture and 42 inside a cpio archive, so the chunks of identical bytes had other offsets depending on which copy
 * a run met first. Dropped, the same bytes give the same text wherever they are.
 */
public final class LeadingBlankLines {
    private LeadingBlankLines() {
    }

    /** The text from its first line with something on it (that line's own indentation kept). */
    public static String drop(String text) {
        int cut = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                cut = i + 1;
            } else if (!Character.isWhitespace(c)) {
                break;
            }
        }
        return cut == 0 ? text : text.substring(cut);
    }
}
