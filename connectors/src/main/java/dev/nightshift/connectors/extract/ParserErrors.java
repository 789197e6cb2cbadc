package dev.nightshift.connectors.extract;

/** A parser's exception as one line a user reads: its class, first line and root cause, without object identities. */
final class ParserErrors {
    private ParserErrors() {
    }

    static Throwable rootCause(Throwable t) {
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        return t;
    }

    static String describe(Throwable t) {
        Throwable root = rootCause(t);
        String message = firstLine(t);
        if (root != t) message += " (cause: " + root.getClass().getSimpleName() + ": " + firstLine(root) + ")";
        return t.getClass().getSimpleName() + ": " + message;
    }

    /** The first line of a message, without object identities ({@code PDFParser@680f6c3f}). */
    static String firstLine(Throwable t) {
        String m = t.getMessage();
        if (m == null) return t.getClass().getSimpleName();
        int nl = m.indexOf('\n');
        return (nl < 0 ? m : m.substring(0, nl)).replaceAll("@[0-9a-f]{4,}\\b", "");
    }
}
