package dev.nightshift.connectors.formats;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The inline codes of a segment as the model sees them, in Okapi's letter-coded form: {@code <g1>bold</g1>} for a pair
 * of codes around text (bold, a link), {@code <x2/>} for a code alone (a field, a footnote mark, a line break),
 * {@code <b3/>}/{@code <e3/>} for the ends of a pair split across segments.
 */
final class Tags {
    /**
     * One tag: group 1 is "/" for a closing one and group 2 its id in a pair; group 3 the letter (x, b, e) and group 4
     * the id of a code alone. {@link ReviewXliff} reads the groups.
     */
    static final Pattern TAG = Pattern.compile("<(/?)g(\\d+)>|<([xbe])(\\d+)/>");

    private Tags() {
    }

    /** The tags of a text, in order. */
    static List<String> of(String text) {
        List<String> tags = new ArrayList<>();
        Matcher m = TAG.matcher(text);
        while (m.find()) tags.add(m.group());
        return tags;
    }

    /** The text without its tags. */
    static String strip(String text) {
        return TAG.matcher(text).replaceAll("");
    }

    /**
     * True when the translation has each of the source's tags exactly once and opens every pair before it closes it:
     * then the codes can go back where the model put them.
     */
    static boolean keptIn(String source, String translation) {
        List<String> want = of(source);
        List<String> got = of(translation);
        if (want.size() != got.size()) return false;
        Map<String, Integer> count = new HashMap<>();
        for (String t : want) count.merge(t, 1, Integer::sum);
        for (String t : got) {
            Integer left = count.get(t);
            if (left == null || left == 0) return false;
            count.put(t, left - 1);
            // A closing tag before its opening one would turn the pair inside out.
            if (t.startsWith("</") && !got.subList(0, got.indexOf(t)).contains("<" + t.substring(2))) return false;
        }
        return true;
    }

    /**
     * The translation's words with every code of the source after them, in the source's order (pairs become empty
     * pairs): no code is lost, none is put around the wrong words, and the segment is flagged for a person to place
     * them.
     */
    static String movedToEnd(String source, String translation) {
        return strip(translation).stripTrailing() + String.join("", of(source));
    }
}
