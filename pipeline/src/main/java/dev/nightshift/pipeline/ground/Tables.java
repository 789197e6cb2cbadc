package dev.nightshift.pipeline.ground;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds the tables in extracted text, so that a row is a unit of evidence. Tika writes a spreadsheet's
 * rows as lines of tab-separated cells, and a CSV file stays comma-separated lines; prose splits them
 * into nothing useful (a table has no full stops, so it became one 600-character "sentence" in which any
 * date and any name were "near" each other). A table is two or more consecutive row lines; its first row
 * is its header. A line without cells between rows (a cell's text that runs over several lines) belongs to
 * the row above.
 */
final class Tables {
    private Tables() {
    }

    /**
     * A stretch of text: prose (no rows) or a table (its rows, the header first). {@code keyed}: a list of codes
     * or options with what each means ("102 - subsystem error", "-v  verbose"), where a row's words are its values.
     */
    record Block(Span span, List<Span> rows, boolean keyed) {
        Block(Span span, List<Span> rows) {
            this(span, rows, false);
        }
    }

    /**
     * A keyed line: a code or an option, a dash, colon or equals sign, and what it means; or names, an arrow
     * and what they stand for ("lzma, unlzma, lzcat -> /usr/bin/xz").
     */
    private static final java.util.regex.Pattern KEYED = java.util.regex.Pattern.compile(
            "\\s*(?:(?:\\d{1,5}|--?[A-Za-z][\\w-]*)\\s+[-–:=]|[\\w.+-]+(?:,\\s*[\\w.+-]+)*\\s+(?:->|=>|→))\\s+\\S.*");

    /** A CSV table needs this many lines: two comma lines are as likely a list in prose. */
    private static final int MIN_CSV_LINES = 3;
    /** Lines without cells a row's text may run over before the table is taken to end. */
    private static final int MAX_CONTINUATION = 3;

    static List<Block> blocks(String text, Span region) {
        List<Block> out = new ArrayList<>();
        List<Span> lines = lines(text, region);
        int proseStart = region.start();
        int i = 0;
        while (i < lines.size()) {
            Kind kind = kind(text, lines.get(i));
            if (kind == Kind.NONE) {
                i++;
                continue;
            }
            List<Span> rows = new ArrayList<>();
            rows.add(lines.get(i));
            int j = i + 1;
            while (j < lines.size()) {
                Span line = lines.get(j);
                if (kind(text, line) == kind) {
                    rows.add(line);
                    j++;
                    continue;
                }
                // A tab table's cell can run over lines: join them to the row above when rows follow.
                int k = j;
                while (kind == Kind.TABS && k < lines.size() && k - j < MAX_CONTINUATION && kind(text, lines.get(k)) == Kind.NONE
                        && !lines.get(k).of(text).isBlank()) k++;
                if (k > j && k < lines.size() && kind(text, lines.get(k)) == kind) {
                    Span last = rows.remove(rows.size() - 1);
                    rows.add(new Span(last.start(), lines.get(k - 1).end()));
                    j = k;
                    continue;
                }
                break;
            }
            if (rows.size() >= (kind == Kind.TABS ? 2 : MIN_CSV_LINES)) {
                int start = rows.get(0).start();
                if (start > proseStart) out.add(new Block(new Span(proseStart, start), List.of()));
                out.add(new Block(new Span(start, rows.get(rows.size() - 1).end()), rows, kind == Kind.KEYED));
                proseStart = rows.get(rows.size() - 1).end();
                i = j;
            } else {
                i++;
            }
        }
        if (proseStart < region.end()) out.add(new Block(new Span(proseStart, region.end()), List.of()));
        return out;
    }

    private enum Kind { NONE, TABS, CSV, KEYED }

    /** A first row names columns when none of its cells is a number, a date or an amount. */
    static boolean looksLikeHeader(String text, Span row) {
        if (KEYED.matcher(row.of(text)).matches()) return false;
        String s = row.of(text).strip();
        for (String cell : s.split(s.indexOf('\t') >= 0 ? "\t" : ",")) {
            String c = cell.strip();
            if (!c.isEmpty() && c.chars().anyMatch(Character::isDigit) && c.matches("[-+()$€£%\\d.,:/ ]+")) return false;
        }
        return true;
    }

    /**
     * A row line: two cells or more separated by tabs (leading tabs are indentation), or three fields or more
     * separated by commas without a space after any of them and without a sentence's full stop.
     */
    private static Kind kind(String text, Span line) {
        String s = line.of(text).strip();
        if (s.isEmpty()) return Kind.NONE;
        if (KEYED.matcher(line.of(text)).matches()) return Kind.KEYED;
        int tab = s.indexOf('\t');
        if (tab > 0 && !s.substring(tab).isBlank()) return Kind.TABS;
        int commas = 0;
        for (int k = 0; k < s.length(); k++) {
            char c = s.charAt(k);
            if (c == ',') {
                commas++;
                if (k + 1 < s.length() && s.charAt(k + 1) == ' ') return Kind.NONE;
            }
        }
        return commas >= 2 && !s.contains(". ") ? Kind.CSV : Kind.NONE;
    }

    private static List<Span> lines(String text, Span region) {
        List<Span> out = new ArrayList<>();
        int start = region.start();
        for (int k = region.start(); k < region.end(); k++) {
            if (text.charAt(k) == '\n') {
                out.add(new Span(start, k));
                start = k + 1;
            }
        }
        if (start < region.end()) out.add(new Span(start, region.end()));
        return out;
    }
}
