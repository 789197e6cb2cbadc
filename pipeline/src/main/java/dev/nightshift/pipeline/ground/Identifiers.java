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
    private static final Pattern SNAKE = Pattern.compile("(?<![\\w])[a-z0-9]+(?:_[a-z0-9]+)+(?![\\w])");
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
        m = QUOTED.matcher(s);
        while (m.find()) out.add(new Identifier(m.group(1).strip(), false));
        return out;
    }
}
