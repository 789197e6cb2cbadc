package dev.nightshift.pipeline.ground;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Dates in the forms archives hold them, in English, German, French and Spanish: "2027-03-31",
 * "31.03.2027", "03/31/2027", "31 March 2027", "31. März 2027", "March 31, 2027", "1er mars", "March 2027",
 * "in October", and weekdays. All become {@code y-m-d} readings so that any two forms of one date meet.
 */
final class DateFacts {
    private DateFacts() {
    }

    private static final Map<String, Integer> MONTHS = new HashMap<>();
    private static final Map<String, Integer> WEEKDAYS = new HashMap<>();

    static {
        String[][] months = {
                {"january", "jan", "januar", "jänner", "janvier", "enero", "januari", "gennaio"},
                {"february", "feb", "februar", "février", "fevrier", "febrero", "februari", "febbraio"},
                {"march", "mar", "märz", "maerz", "mars", "marzo", "maart"},
                {"april", "apr", "avril", "abril", "aprile"},
                {"may", "mai", "mayo", "mei", "maggio"},
                {"june", "jun", "juni", "juin", "junio", "giugno"},
                {"july", "jul", "juli", "juillet", "julio", "luglio"},
                {"august", "aug", "août", "aout", "agosto", "augustus"},
                {"september", "sep", "sept", "septembre", "septiembre", "settembre"},
                {"october", "oct", "oktober", "octobre", "octubre", "ottobre"},
                {"november", "nov", "novembre", "noviembre"},
                {"december", "dec", "dezember", "dez", "décembre", "decembre", "diciembre", "dicembre"}};
        for (int i = 0; i < months.length; i++) for (String m : months[i]) MONTHS.put(m, i + 1);
        String[][] days = {
                {"monday", "montag", "lundi", "lunes"}, {"tuesday", "dienstag", "mardi", "martes"},
                {"wednesday", "mittwoch", "mercredi", "miércoles"}, {"thursday", "donnerstag", "jeudi", "jueves"},
                {"friday", "freitag", "vendredi", "viernes"}, {"saturday", "samstag", "sonnabend", "samedi", "sábado"},
                {"sunday", "sonntag", "dimanche", "domingo"}};
        for (int i = 0; i < days.length; i++) for (String d : days[i]) WEEKDAYS.put(d, i + 1);
    }

    /** Month names that are also common words: alone they count only beside a preposition that asks for a time. */
    private static final Set<String> AMBIGUOUS = Words.set("may", "march", "mar", "jan", "mai", "mars", "august", "jun", "dec", "sep", "nov");
    private static final Set<String> TIME_WORDS = Words.set("in", "since", "until", "till", "from", "to", "by", "of", "early", "late",
            "mid", "end", "and", "im", "seit", "bis", "ab", "en", "depuis", "jusqu", "desde", "hasta", "between", "before", "after");

    private static final String MONTH = "(\\p{L}{3,10})\\.?";
    private static final Pattern ISO = Pattern.compile("(?<![\\d.])(\\d{4})-(\\d{1,2})-(\\d{1,2})(?![\\d])");
    private static final Pattern NUMERIC = Pattern.compile("(?<![\\d.,/])(\\d{1,2})([./])(\\d{1,2})\\2(\\d{4}|\\d{2})(?![\\d])");
    private static final Pattern DAY_MONTH = Pattern.compile(
            "(?<![\\d.,])(\\d{1,2})(?:st|nd|rd|th|er|\\.)?\\s+(?:of\\s+|de\\s+)?" + MONTH + "(?:,?\\s+(?:de\\s+)?(\\d{4}))?(?!\\d)",
            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    private static final Pattern MONTH_DAY = Pattern.compile(
            MONTH + "\\s+(\\d{1,2})(?:st|nd|rd|th)?(?!\\d|[.,:]\\d)(?:,?\\s+(\\d{4}))?",
            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    private static final Pattern MONTH_YEAR = Pattern.compile(MONTH + ",?\\s+(?:de\\s+)?(\\d{4})(?!\\d)",
            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    private static final Pattern NAME = Pattern.compile("\\p{L}{3,10}");

    /** The month a word names (1-12), or 0. */
    static int month(String word) {
        return MONTHS.getOrDefault(word.toLowerCase(Locale.ROOT), 0);
    }

    /** The dates in {@code text[from, to)}, earliest first; where two forms overlap, the longer wins. */
    static List<Fact> find(String text, int from, int to) {
        List<Fact> out = new ArrayList<>();
        boolean[] taken = new boolean[to - from];
        Matcher m = ISO.matcher(text).region(from, to);
        while (m.find()) add(out, taken, from, m, text, date(num(m, 1), num(m, 2), num(m, 3)));
        m = NUMERIC.matcher(text).region(from, to);
        while (m.find()) {
            int a = num(m, 1), b = num(m, 3), y = year(num(m, 4), m.group(4).length());
            List<String> readings = new ArrayList<>();
            if (b <= 12 && a <= 31) readings.add(ymd(y, b, a)); // day first: most of the world, and always with dots
            if (m.group(2).equals("/") && a <= 12 && b <= 31 && a != b) readings.add(ymd(y, a, b)); // month first: US
            if (!readings.isEmpty()) add(out, taken, from, m, text, readings);
        }
        m = DAY_MONTH.matcher(text).region(from, to);
        while (m.find()) {
            int month = month(m.group(2));
            if (month == 0 || num(m, 1) < 1 || num(m, 1) > 31) continue;
            add(out, taken, from, m, text, date(m.group(3) == null ? 0 : num(m, 3), month, num(m, 1)));
        }
        m = MONTH_DAY.matcher(text).region(from, to);
        while (m.find()) {
            int month = month(m.group(1));
            if (month == 0 || num(m, 2) < 1 || num(m, 2) > 31 || AMBIGUOUS.contains(m.group(1).toLowerCase(Locale.ROOT))
                    && !Character.isUpperCase(m.group(1).charAt(0))) continue;
            add(out, taken, from, m, text, date(m.group(3) == null ? 0 : num(m, 3), month, num(m, 2)));
        }
        m = MONTH_YEAR.matcher(text).region(from, to);
        while (m.find()) {
            int month = month(m.group(1));
            if (month == 0) continue;
            add(out, taken, from, m, text, date(num(m, 2), month, 0));
        }
        m = NAME.matcher(text).region(from, to);
        while (m.find()) {
            String word = m.group().toLowerCase(Locale.ROOT);
            Integer weekday = WEEKDAYS.get(word);
            if (weekday != null) {
                add(out, taken, from, m, text, List.of("w" + weekday));
                continue;
            }
            int month = month(word);
            if (month == 0 || word.length() < 3) continue;
            boolean capital = Character.isUpperCase(m.group().charAt(0));
            // A bare month: "in October"; "may" and "march" only where a time is asked for.
            if (word.length() <= 4 && !word.equals("mai") && !word.equals("juni") && !word.equals("juli") || AMBIGUOUS.contains(word)) {
                if (!capital || !TIME_WORDS.contains(previousWord(text, m.start()))) continue;
            }
            add(out, taken, from, m, text, date(0, month, 0));
        }
        out.sort(java.util.Comparator.comparingInt(Fact::start));
        return out;
    }

    private static String previousWord(String text, int at) {
        int e = at;
        while (e > 0 && !Character.isLetter(text.charAt(e - 1))) e--;
        int s = e;
        while (s > 0 && Character.isLetter(text.charAt(s - 1))) s--;
        return text.substring(s, e).toLowerCase(Locale.ROOT);
    }

    private static void add(List<Fact> out, boolean[] taken, int from, Matcher m, String text, List<String> readings) {
        for (int i = m.start(); i < m.end(); i++) if (taken[i - from]) return;
        for (int i = m.start(); i < m.end(); i++) taken[i - from] = true;
        out.add(new Fact(Fact.Kind.DATE, m.start(), m.end(), text.substring(m.start(), m.end()), readings));
    }

    private static List<String> date(int y, int m, int d) {
        return m >= 1 && m <= 12 && d >= 0 && d <= 31 ? List.of(ymd(y, m, d)) : List.of();
    }

    private static String ymd(int y, int m, int d) {
        return y + "-" + m + "-" + d;
    }

    private static int year(int y, int digits) {
        return digits == 2 ? (y < 70 ? 2000 + y : 1900 + y) : y;
    }

    private static int num(Matcher m, int group) {
        return Integer.parseInt(m.group(group));
    }

    /**
     * Whether a claim's date reading fits a source's: every part the claim gives must be in the source
     * and equal ("March 2027" fits "31 March 2027"; "31 March" does not fit "March").
     */
    static boolean fits(String claim, String source) {
        if (claim.startsWith("w") || source.startsWith("w")) return claim.equals(source);
        String[] c = claim.split("-"), s = source.split("-");
        for (int i = 0; i < 3; i++) {
            if (!c[i].equals("0") && !c[i].equals(s[i])) return false;
        }
        return true;
    }
}
