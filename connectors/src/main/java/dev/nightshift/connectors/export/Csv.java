package dev.nightshift.connectors.export;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * RFC 4180 CSV rows: fields with commas, quotes or line breaks are quoted, lines end in CRLF. A field a spreadsheet
 * would run as a formula (it starts with {@code = + @}, a tab or a carriage return: text a document wrote, a
 * value a model copied from it, a file name) gets an apostrophe before it, which spreadsheets read as "text";
 * a number such as {@code +49} or {@code -12.5} stays a number.
 */
public final class Csv {
    private Csv() {
    }

    private static final java.util.regex.Pattern NUMBER = java.util.regex.Pattern.compile("[+-]?\\d+(?:[.,]\\d+)?");

    public static String quote(String s) {
        if (!s.isEmpty() && "=+@\t\r".indexOf(s.charAt(0)) >= 0 && !NUMBER.matcher(s).matches()) s = "'" + s;
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) return s;
        return '"' + s.replace("\"", "\"\"") + '"';
    }

    /** One row, with its line end; null fields are empty. */
    public static String row(Object... values) {
        return Arrays.stream(values).map(v -> quote(v == null ? "" : v.toString())).collect(Collectors.joining(",")) + "\r\n";
    }
}
