package dev.nightshift.pipeline.ground;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Things a sentence names exactly, which a source either contains as written or does not: command-line
 * options ({@code --dry-run}, {@code -v}), dotted, underscored and {@code ::} identifiers ({@code java.util.List},
 * {@code APT::Get::Upgrade-By-Source-Package},
 * {@code max_tokens}, {@code README.md}), names with a capital inside ({@code OpenJDK}, {@code getValue})
 * and short quoted strings. A summary that swaps one option for another, or names a file or a product the
 * source never mentions, reads as well supported by word overlap alone; these must be found literally.
 */
final class Identifiers {
    private Identifiers() {
    }

    /** An identifier and whether it must match case (options and code are case-sensitive). */
    record Identifier(String text, boolean caseSensitive) {
    }

    private static final Pattern OPTION = Pattern.compile("(?<![\\w-])--?[A-Za-z][A-Za-z0-9_]*(?:-[A-Za-z0-9_]+)*");
    private static final Pattern DOTTED = Pattern.compile("(?<![\\w.:])[A-Za-z_][\\w-]*(?:(?:\\.|::)[A-Za-z_][\\w-]*)+(?![\\w])");
    private static final Pattern SNAKE = Pattern.compile("(?<![\\w-])[A-Za-z0-9]+(?:_[A-Za-z0-9]+)+(?:-[A-Za-z0-9_]+)*(?![\\w])");
    /** A path: two segments or more after a slash ({@code /etc/chromium}, {@code ~/.inputrc}), not a URL's. */
    private static final Pattern PATH = Pattern.compile("(?<![\\w/:.])~?(?:/[\\w.@*+-]+){2,}/?|(?<![\\w/:.])~/[\\w.@*+-]+");
    /** A manual page: {@code nc(1)}, {@code adduser.conf(5)}. */
    private static final Pattern MANPAGE = Pattern.compile("(?<![\\w.-])[A-Za-z_][\\w.+-]*\\(\\d[a-z]*\\)");
    /** Names joined by slashes with a capital, digit or underscore in them: {@code Africa/Ceuta}, {@code TCP/IP}, not "and/or". */
    private static final Pattern SLASHED = Pattern.compile("(?<![\\w/.])[A-Za-z][\\w.+-]*(?:/[A-Za-z0-9][\\w.+-]*)+(?![\\w/])");
    /** Single quotes around a short string, not an apostrophe inside a word. */
    private static final Pattern SINGLE_QUOTED = Pattern.compile("(?<![\\w])'([^'\\n]{2,40})'(?![\\w])");
    private static final Pattern INNER_CAPITAL = Pattern.compile("(?<![\\w])(?:[a-z]+[A-Z]|[A-Z][a-z0-9]+[A-Z])[A-Za-z0-9]*(?![\\w])");
    private static final Pattern QUOTED = Pattern.compile("[\"“`]([^\"”`\\n]{2,40})[\"”`]");

    static List<Identifier> find(String text, int start, int end) {
        String s = text.substring(start, end);
        List<Identifier> out = new ArrayList<>();
        Matcher m = OPTION.matcher(s);
        while (m.find()) {
            // A dash between words or before a number is punctuation ("well-known", "pages 3 -5"), not an option.
            if (m.group().startsWith("--") || m.group().length() >= 3) out.add(new Identifier(m.group(), true));
        }
        m = DOTTED.matcher(s);
        while (m.find()) {
            String d = m.group();
            // "e.g", "i.e", "U.S": every part one letter is an abbreviation.
            if (java.util.Arrays.stream(d.split("\\.|::")).allMatch(p -> p.length() <= 1)) continue;
            out.add(new Identifier(d, false));
        }
        m = SNAKE.matcher(s);
        while (m.find()) out.add(new Identifier(m.group(), true));
        m = INNER_CAPITAL.matcher(s);
        while (m.find()) out.add(new Identifier(m.group(), false));
        m = MANPAGE.matcher(s);
        while (m.find()) out.add(new Identifier(m.group(), false));
        m = SLASHED.matcher(s);
        while (m.find()) if (m.group().chars().anyMatch(c -> Character.isUpperCase(c) || Character.isDigit(c) || c == '_')) out.add(new Identifier(trimEnd(m.group()), true));
        m = PATH.matcher(s);
        while (m.find()) out.add(new Identifier(trimEnd(m.group()), true));
        m = QUOTED.matcher(s);
        while (m.find()) out.add(new Identifier(m.group(1).strip(), false));
        m = SINGLE_QUOTED.matcher(s);
        while (m.find()) out.add(new Identifier(m.group(1).strip(), false));
        return out;
    }

    /** A sentence's full stop or a closing bracket after a path is not part of it. */
    private static String trimEnd(String path) {
        int end = path.length();
        while (end > 1 && ".,;:)".indexOf(path.charAt(end - 1)) >= 0) end--;
        return path.substring(0, end);
    }

    /**
     * Whether {@code text} holds {@code literal} as a whole: not as the start of a longer name
     * ({@code FFI_BAD_TYPE} is not in {@code FFI_BAD_TYPEDEF}, {@code --with} not in {@code --with-libyaml}).
     */
    static boolean holdsWhole(String text, String literal) {
        if (literal.isEmpty()) return true;
        boolean wordStart = isNamePart(literal.charAt(0)), wordEnd = isNamePart(literal.charAt(literal.length() - 1));
        for (int at = text.indexOf(literal); at >= 0; at = text.indexOf(literal, at + 1)) {
            int after = at + literal.length();
            boolean leftOk = !wordStart || at == 0 || !isNamePart(text.charAt(at - 1));
            boolean rightOk = !wordEnd || after >= text.length() || !isNamePart(text.charAt(after))
                    && !(text.charAt(after) == '-' && after + 1 < text.length() && isNamePart(text.charAt(after + 1)));
            if (leftOk && rightOk) return true;
        }
        return false;
    }

    private static boolean isNamePart(char c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }
}
