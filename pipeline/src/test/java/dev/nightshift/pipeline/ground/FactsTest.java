package dev.nightshift.pipeline.ground;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FactsTest {
    private static List<String> numbers(String text) {
        List<Fact> dates = DateFacts.find(text, 0, text.length());
        return NumberFacts.find(text, 0, text.length(), dates).stream().flatMap(f -> f.readings().stream()).toList();
    }

    private static List<String> dates(String text) {
        return DateFacts.find(text, 0, text.length()).stream().flatMap(f -> f.readings().stream()).toList();
    }

    @Test
    void percentIsOneValueInEverySpelling() {
        for (String s : List.of("4 %", "4%", "four percent", "4 per cent", "4 Prozent", "vier Prozent")) {
            assertEquals(List.of("4"), numbers("rose by " + s + " last year"), s);
        }
    }

    @Test
    void separatorsThatMayBeThousandsOrDecimalsGiveBothReadings() {
        assertEquals(List.of("4120", "4.12"), numbers("4,120 kWh"));
        assertEquals(List.of("1200", "1.2"), numbers("1.200 Euro"));
        assertEquals(List.of("1599.99"), numbers("1,599.99"));
        assertEquals(List.of("3.5"), numbers("3,5 Tonnen"));
    }

    @Test
    void scalesAndWords() {
        assertEquals(List.of("150000000"), numbers("150 Millionen Tonnen"));
        assertEquals(List.of("2100000"), numbers("2.1 million tonnes").subList(0, 1));
        assertEquals(List.of("25"), numbers("twenty-five"));
        assertEquals(List.of("600"), numbers("six hundred"));
        assertEquals(List.of("10"), numbers("within ten working days"));
        assertEquals(List.of("3"), numbers("the third floor"));
        assertTrue(numbers("one of the most important").isEmpty(), "one is a pronoun more often than a count");
    }

    @Test
    void everyFormOfADateMeets() {
        for (String s : List.of("31 March 2027", "2027-03-31", "31.03.2027", "March 31, 2027", "31. März 2027", "31 mars 2027", "31st of March 2027")) {
            assertEquals(List.of("2027-3-31"), dates("due on " + s + "."), s);
        }
        assertEquals(List.of("2027-3-4", "2027-4-3"), dates("on 04/03/2027"));
        assertEquals(List.of("2027-3-0"), dates("in March 2027"));
        assertEquals(List.of("0-10-0"), dates("replaced in October"));
        assertEquals(List.of("w5"), dates("by Friday"));
        assertTrue(dates("you may march on").isEmpty(), "may and march as words");
        assertTrue(DateFacts.fits("2027-3-0", "2027-3-31"));
        assertTrue(!DateFacts.fits("2027-3-31", "2027-3-0"), "a day the source does not give");
    }

    @Test
    void aDateIsNotAlsoCountedAsItsMonthNumber() {
        SourceText s = SourceText.of("In April the city opened three lanes.");
        assertTrue(!s.byNumber.containsKey("4"));
    }
}
