package dev.nightshift.pipeline.ground;

import java.util.List;

/**
 * A number or a date found in a text, with every value it may stand for: "4,120" is 4120 in English and
 * 4.12 in German, "03/04/2027" is the 3rd of April or the 4th of March; a claim's fact is found in its
 * source when the two share a reading.
 *
 * @param readings numbers as plain decimals ("4120"; "4" for "4 %" and "four percent"); dates as {@code y-m-d}
 *                 with 0 for a part not given ("2027-3-31", "0-2-2", "2027-10-0"), weekdays as {@code w1}..{@code w7}
 */
record Fact(Kind kind, int start, int end, String text, List<String> readings) {
    enum Kind {
        NUMBER, DATE;

        String flag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    Fact {
        readings = List.copyOf(readings);
    }

    /** Whether this claim's fact is found in the source's fact {@code g}: the same number, or a date it fits. */
    boolean foundIn(Fact g) {
        if (g.kind() != kind) return false;
        for (String c : readings) for (String r : g.readings()) if (kind == Kind.DATE ? DateFacts.fits(c, r) : c.equals(r)) return true;
        return false;
    }
}
