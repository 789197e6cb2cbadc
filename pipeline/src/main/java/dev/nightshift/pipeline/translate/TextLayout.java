package dev.nightshift.pipeline.translate;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A text cut into what a translator must keep and what it must translate. Blank lines, indentation,
 * heading marks ({@code #}), list markers ({@code -}, {@code *}, {@code 1.}, {@code a)}), quote marks,
 * tab-separated cells, fenced code blocks ({@code ```} or {@code ~~~}), bare links and parts without
 * letters (numbers, dates, rules) are kept exactly; the rest is
 * translated a paragraph, a list item, a heading or a cell at a time. Putting the translations back
 * in place gives a text with the original's structure, whatever the model does inside a paragraph.
 *
 * <p>A paragraph's hard line breaks (as PDF extraction leaves them) are joined with spaces for the
 * model, since a sentence cut in two translates badly; its translation is one line.
 */
final class TextLayout {
    /** A piece of the text: kept as it is, or to be translated. */
    public record Piece(String text, boolean translate) {
    }

    private static final Pattern MARKER = Pattern.compile(
            "^(\\s*(?:#{1,6}\\s+|>\\s*|[-*+\u2022\u25E6\u25AA\u2013]\\s+|(?:\\d{1,3}|[a-zA-Z])[.)]\\s+|\\(\\d{1,3}\\)\\s+)?)");
    private static final Pattern LETTER = Pattern.compile("\\p{L}");
    private static final Pattern FENCE = Pattern.compile("^\\s*(```|~~~)");
    /** A piece that is only a link, an e-mail address or a path: nothing in it to translate. */
    private static final Pattern BARE_LINK = Pattern.compile("^(?:[a-zA-Z][a-zA-Z0-9+.-]*://|www\\.|mailto:)\\S*$|^[^\\s@]+@[^\\s@]+\\.[^\\s@]+$|^[~.]?/\\S+$");

    private final List<Piece> pieces;

    private TextLayout(List<Piece> pieces) {
        this.pieces = List.copyOf(pieces);
    }

    public List<Piece> pieces() {
        return pieces;
    }

    /** The texts to translate, in order. */
    public List<String> translatable() {
        return pieces.stream().filter(Piece::translate).map(Piece::text).toList();
    }

    /** The text with each translatable piece replaced by {@code translate}'s answer for it. */
    public String render(Function<String, String> translate) {
        StringBuilder out = new StringBuilder();
        for (Piece p : pieces) {
            if (!p.translate()) {
                out.append(p.text());
            } else {
                // One piece of structure gives one piece back: no blank lines or line breaks of the model's own.
                out.append(translate.apply(p.text()).strip().replaceAll("\\s*\\R\\s*", " "));
            }
        }
        return out.toString();
    }

    public static TextLayout of(String text) {
        List<Piece> pieces = new ArrayList<>();
        List<String> lines = lines(text);
        int i = 0;
        while (i < lines.size()) {
            String line = lines.get(i);
            if (line.isBlank()) {
                keep(pieces, line);
                i++;
                continue;
            }
            Matcher fence = FENCE.matcher(line);
            if (fence.find()) {
                // Code is kept as it is, up to and including the closing fence (or to the end).
                String mark = fence.group(1);
                keep(pieces, line);
                i++;
                while (i < lines.size()) {
                    String code = lines.get(i++);
                    keep(pieces, code);
                    if (code.strip().startsWith(mark)) break;
                }
                continue;
            }
            if (line.indexOf('\t') >= 0) {
                cells(pieces, line);
                i++;
                continue;
            }
            Matcher m = MARKER.matcher(line);
            m.find();
            String marker = m.group(1);
            boolean heading = marker.strip().startsWith("#");
            // A paragraph or list item goes on over following lines that are neither blank, nor
            // marked, nor cells; a heading is one line.
            StringBuilder body = new StringBuilder(content(line.substring(marker.length())));
            String lastEnd = ending(line);
            int j = i + 1;
            while (!heading && j < lines.size() && continues(lines.get(j))) {
                body.append(' ').append(content(lines.get(j)).strip());
                lastEnd = ending(lines.get(j));
                j++;
            }
            keep(pieces, marker);
            String b = body.toString();
            String leading = b.substring(0, b.length() - b.stripLeading().length());
            String trailing = b.stripLeading().substring(b.strip().length());
            keep(pieces, leading);
            translate(pieces, b.strip());
            keep(pieces, trailing + lastEnd);
            i = j;
        }
        return new TextLayout(pieces);
    }

    private static boolean continues(String line) {
        if (line.isBlank() || line.indexOf('\t') >= 0 || FENCE.matcher(line).find()) return false;
        Matcher m = MARKER.matcher(line);
        m.find();
        return m.group(1).isBlank();
    }

    /** Tab-separated cells: each cell translated alone, the tabs kept. */
    private static void cells(List<Piece> pieces, String line) {
        String end = ending(line);
        String[] cells = content(line).split("\t", -1);
        for (int c = 0; c < cells.length; c++) {
            if (c > 0) keep(pieces, "\t");
            String cell = cells[c];
            String stripped = cell.strip();
            int lead = cell.indexOf(stripped.isEmpty() ? cell : stripped);
            keep(pieces, cell.substring(0, Math.max(0, lead)));
            translate(pieces, stripped);
            keep(pieces, cell.substring(Math.max(0, lead) + stripped.length()));
        }
        keep(pieces, end);
    }

    private static void translate(List<Piece> pieces, String text) {
        if (text.isEmpty()) return;
        if (!LETTER.matcher(text).find() || BARE_LINK.matcher(text).matches()) keep(pieces, text); // numbers, dates, links
        else pieces.add(new Piece(text, true));
    }

    private static void keep(List<Piece> pieces, String text) {
        if (text.isEmpty()) return;
        if (!pieces.isEmpty() && !pieces.get(pieces.size() - 1).translate()) {
            pieces.set(pieces.size() - 1, new Piece(pieces.get(pieces.size() - 1).text() + text, false));
        } else {
            pieces.add(new Piece(text, false));
        }
    }

    /** Lines with their terminators, so that joining them gives the text back exactly. */
    private static List<String> lines(String text) {
        List<String> lines = new ArrayList<>();
        Matcher m = Pattern.compile("[^\\n]*(?:\\n|$)").matcher(text);
        while (m.find() && m.end() > m.start()) lines.add(m.group());
        return lines;
    }

    private static String ending(String line) {
        if (line.endsWith("\r\n")) return "\r\n";
        return line.endsWith("\n") ? "\n" : "";
    }

    private static String content(String line) {
        return line.substring(0, line.length() - ending(line).length());
    }
}
