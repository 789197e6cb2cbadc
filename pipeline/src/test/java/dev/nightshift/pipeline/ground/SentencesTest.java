package dev.nightshift.pipeline.ground;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SentencesTest {
    private static List<String> split(String text) {
        return Sentences.split(text).stream().map(s -> s.of(text)).toList();
    }

    @Test
    void abbreviationsInitialsAndNumbersDoNotEndASentence() {
        assertEquals(List.of("Dear Ms. Okafor wrote on 31.03.2027 about 3.5 kWh.", "P. Eakland replied."),
                split("Dear Ms. Okafor wrote on 31.03.2027 about 3.5 kWh. P. Eakland replied."));
        assertEquals(List.of("Am 31. März 2027 fuhr er z.B. nach Kaub.", "Dann nicht."), split("Am 31. März 2027 fuhr er z.B. nach Kaub. Dann nicht."));
    }

    @Test
    void headingsAndListItemsStandAlone() {
        assertEquals(List.of("Watering", "Water every morning.", "Use pots with holes", "Buy peat-free soil"),
                split("## Watering\nWater every morning.\n\n- Use pots with holes\n- Buy peat-free soil\n"));
    }

    @Test
    void offsetsPointIntoTheText() {
        String text = "  One fact.  \"Two facts!\" Three? ";
        for (Span s : Sentences.split(text)) assertEquals(s.of(text), text.substring(s.start(), s.end()));
        assertEquals(List.of("One fact.", "\"Two facts!\"", "Three?"), split(text));
    }

    @Test
    void aLineWithoutLettersOrAPageBreakSeparatesLikeABlankLine() {
        for (String rule : new String[] {"\f", "\uFFFD", "-----", "* * *"}) {
            String text = "Please send bug reports to the list\n" + rule + "\nversion 1.34 - 2021-02-13";
            org.junit.jupiter.api.Assertions.assertEquals(2, Sentences.split(text).size(), rule);
        }
    }
}
