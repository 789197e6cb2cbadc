package dev.nightshift.connectors.export;

import java.util.Arrays;
import java.util.stream.Collectors;

/** RFC 4180 CSV rows: fields with commas, quotes or line breaks are quoted, lines end in CRLF. */
public final class Csv {
    private Csv() {
    }

    public static String quote(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) return s;
        return '"' + s.replace("\"", "\"\"") + '"';
    }

    /** One row, with its line end; null fields are empty. */
    public static String row(Object... values) {
        return Arrays.stream(values).map(v -> quote(v == null ? "" : v.toString())).collect(Collectors.joining(",")) + "\r\n";
    }
}
