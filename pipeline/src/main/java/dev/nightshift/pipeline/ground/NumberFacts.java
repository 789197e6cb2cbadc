package dev.nightshift.pipeline.ground;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Numbers as digits or words, with a scale ("150 Millionen", "2.5 million") and percent in any of its
 * spellings ("4 %", "4%", "four percent", "4 Prozent"): each becomes its plain value, so "4,120" meets
 * "4120" and "ten" meets "10". "one" is left out: it is a pronoun far more often than a count.
 */
final class NumberFacts {
    private NumberFacts() {
    }

    private static final Map<String, Integer> WORDS = new HashMap<>();
    private static final Map<String, Long> SCALES = new HashMap<>();

    static {
        String[] en = {"", "", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
                "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"};
        String[] de = {"", "", "zwei", "drei", "vier", "fünf", "sechs", "sieben", "acht", "neun", "zehn", "elf", "zwölf"};
        String[] fr = {"", "", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix", "onze", "douze"};
        String[] es = {"", "", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve", "diez", "once", "doce"};
        for (String[] lang : new String[][]{en, de, fr, es}) for (int i = 2; i < lang.length; i++) WORDS.put(lang[i], i);
        String[] tens = {"twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"};
        for (int i = 0; i < tens.length; i++) WORDS.put(tens[i], 20 + 10 * i);
        String[] zehner = {"zwanzig", "dreißig", "vierzig", "fünfzig", "sechzig", "siebzig", "achtzig", "neunzig"};
        for (int i = 0; i < zehner.length; i++) WORDS.put(zehner[i], 20 + 10 * i);
        // Ordinals from "second" on ("first" is mostly not a count: "at first", "the first item" of one).
        String[] ordinals = {"", "", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth", "eleventh", "twelfth"};
        String[] ordinale = {"", "", "zweite", "dritte", "vierte", "fünfte", "sechste", "siebte", "achte", "neunte", "zehnte"};
        String[] ordinaux = {"", "", "deuxième", "troisième", "quatrième", "cinquième", "sixième", "septième", "huitième", "neuvième", "dixième"};
        for (String[] lang : new String[][]{ordinals, ordinaux}) for (int i = 2; i < lang.length; i++) WORDS.put(lang[i], i);
        for (int i = 2; i < ordinale.length; i++) for (String end : new String[]{"", "n", "r", "s", "m"}) WORDS.put(ordinale[i] + end, i);
        WORDS.put("zero", 0);
        WORDS.put("dozen", 12);
        WORDS.put("vingt", 20);
        WORDS.put("trente", 30);
        WORDS.put("veinte", 20);
        SCALES.put("hundred", 100L);
        SCALES.put("hundert", 100L);
        SCALES.put("cent", 100L);
        SCALES.put("thousand", 1_000L);
        SCALES.put("tausend", 1_000L);
        SCALES.put("mille", 1_000L);
        SCALES.put("mil", 1_000L);
        for (String s : List.of("million", "millions", "millionen", "mio", "millón", "millones", "mln"))
            SCALES.put(s, 1_000_000L);
        for (String s : List.of("billion", "billions", "milliarde", "milliarden", "mrd", "milliard", "milliards", "bn"))
            SCALES.put(s, 1_000_000_000L);
    }

    /** Digits, with thousands separators and a decimal part; no letter or digit glued before. */
    private static final Pattern DIGITS = Pattern.compile(
            "(?<![\\p{L}\\d.,])(\\d{1,3}(?:([,.\\u00a0\\u202f'])\\d{3})(?:\\2\\d{3})*|\\d+)(?:([.,])(\\d+))?(?![\\d])");
    private static final Pattern AFTER = Pattern.compile(
            "\\s?(?:(st|nd|rd|th)\\b)?\\s*(%|percent\\b|per cent\\b|prozent\\b|pour cent\\b|por ciento\\b|[\\p{L}]+\\b)?",
            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    private static final Pattern WORD = Pattern.compile("[\\p{L}]+(?:-[\\p{L}]+)?");

    /** The numbers in {@code text[from, to)}, skipping the spans of {@code taken} (dates found before). */
    static List<Fact> find(String text, int from, int to, List<Fact> taken) {
        List<Fact> out = new ArrayList<>();
        Matcher m = DIGITS.matcher(text).region(from, to);
        while (m.find()) {
            if (inside(taken, m.start())) continue;
            Set<BigDecimal> values = readings(m.group(1), m.group(2), m.group(3), m.group(4));
            int end = m.end();
            Matcher after = AFTER.matcher(text).region(end, to);
            if (after.lookingAt() && after.group(2) != null) {
                String unit = after.group(2).toLowerCase(Locale.ROOT);
                Long scale = SCALES.get(unit);
                if (scale != null) {
                    values = scaled(values, scale);
                    end = after.end();
                } else if (isPercent(unit)) {
                    end = after.end();
                }
            }
            out.add(fact(text, m.start(), end, values));
        }
        // Numbers in words: "ten working days", "twenty-five", "six hundred", "two million".
        m = WORD.matcher(text).region(from, to);
        int runStart = -1, runEnd = -1;
        long total = 0, current = 0;
        boolean any = false;
        while (true) {
            boolean found = m.find();
            String w = found ? m.group().toLowerCase(Locale.ROOT) : "";
            Long value = found && !inside(taken, m.start()) ? wordValue(w) : null;
            Long scale = found && any ? SCALES.get(w) : null;
            boolean glued = found && any && text.substring(runEnd, m.start()).isBlank();
            if (found && (value != null && (!any || glued)) ) {
                if (!any) runStart = m.start();
                current += value;
                any = true;
                runEnd = m.end();
                continue;
            }
            if (found && scale != null && glued && !w.equals("cent")) {
                current = Math.max(current, 1) * scale;
                if (scale >= 1000) {
                    total += current;
                    current = 0;
                }
                runEnd = m.end();
                continue;
            }
            if (any) {
                int end = runEnd;
                Matcher after = AFTER.matcher(text).region(runEnd, to);
                if (after.lookingAt() && after.group(2) != null && isPercent(after.group(2).toLowerCase(Locale.ROOT))) end = after.end();
                out.add(fact(text, runStart, end, Set.of(BigDecimal.valueOf(total + current))));
                any = false;
                total = 0;
                current = 0;
                if (found && value != null) { // a new run right after ("two three"): start over with this word
                    runStart = m.start();
                    current = value;
                    any = true;
                    runEnd = m.end();
                    continue;
                }
            }
            if (!found) break;
        }
        out.sort(java.util.Comparator.comparingInt(Fact::start));
        return out;
    }

    /** "three", "dritte", "twenty-five": a number written as a word. */
    static boolean isNumberWord(String word) {
        return wordValue(word.toLowerCase(Locale.ROOT)) != null || SCALES.containsKey(word.toLowerCase(Locale.ROOT));
    }

    private static Long wordValue(String w) {
        Integer v = WORDS.get(w);
        if (v != null) return (long) v;
        int dash = w.indexOf('-');
        if (dash > 0) { // twenty-five
            Integer tens = WORDS.get(w.substring(0, dash)), ones = WORDS.get(w.substring(dash + 1));
            if (tens != null && ones != null && tens >= 20 && ones < 10) return (long) tens + ones;
        }
        return null;
    }

    private static boolean isPercent(String unit) {
        return unit.equals("%") || unit.startsWith("percent") || unit.startsWith("per cent") || unit.equals("prozent")
                || unit.startsWith("pour cent") || unit.startsWith("por ciento");
    }

    private static boolean inside(List<Fact> taken, int at) {
        for (Fact f : taken) if (at >= f.start() && at < f.end()) return true;
        return false;
    }

    /**
     * What digits may mean. "4,120" and "1.200" are thousands in one language and decimals in another, so
     * both; "1,599.99" and "3,5" are unambiguous.
     */
    private static Set<BigDecimal> readings(String whole, String separator, String decimalMark, String decimals) {
        Set<BigDecimal> out = new LinkedHashSet<>();
        if (separator == null) {
            String plain = whole + (decimals == null ? "" : "." + decimals);
            out.add(new BigDecimal(plain));
            return out;
        }
        String grouped = whole.replace(separator, "");
        if (decimals != null) {
            out.add(new BigDecimal(grouped + "." + decimals));
            return out;
        }
        out.add(new BigDecimal(grouped));
        if ((separator.equals(",") || separator.equals(".")) && whole.indexOf(separator) == whole.lastIndexOf(separator)) {
            out.add(new BigDecimal(whole.replace(separator, "."))); // a decimal mark after all
        }
        return out;
    }

    private static Set<BigDecimal> scaled(Set<BigDecimal> values, long scale) {
        Set<BigDecimal> out = new LinkedHashSet<>();
        for (BigDecimal v : values) out.add(v.multiply(BigDecimal.valueOf(scale)));
        return out;
    }

    private static Fact fact(String text, int start, int end, Set<BigDecimal> values) {
        List<String> readings = new ArrayList<>();
        for (BigDecimal v : values) readings.add(v.stripTrailingZeros().toPlainString());
        return new Fact(Fact.Kind.NUMBER, start, end, text.substring(start, end).strip(), readings);
    }
}
