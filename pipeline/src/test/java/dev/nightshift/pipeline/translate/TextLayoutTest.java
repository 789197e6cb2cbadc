package dev.nightshift.pipeline.translate;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class TextLayoutTest {
    @Test
    void markersBlankLinesAndNumbersAreKeptAndTheRestIsTranslatedPieceByPiece() {
        String text = """
                # Annual report

                The library lent more books
                than ever before.

                - Opening hours grew.
                - 12 new staff
                  joined in spring.
                2. Budget rose.
                \t2024\t1,200

                Name\tCity
                Ada\tLondon
                """;
        TextLayout layout = TextLayout.of(text);
        assertThat(layout.translatable()).containsExactly("Annual report", "The library lent more books than ever before.",
                "Opening hours grew.", "12 new staff joined in spring.", "Budget rose.", "Name", "City", "Ada", "London");
        assertThat(layout.render(s -> "<" + s.toUpperCase() + ">")).isEqualTo("""
                # <ANNUAL REPORT>

                <THE LIBRARY LENT MORE BOOKS THAN EVER BEFORE.>

                - <OPENING HOURS GREW.>
                - <12 NEW STAFF JOINED IN SPRING.>
                2. <BUDGET ROSE.>
                \t2024\t1,200

                <NAME>\t<CITY>
                <ADA>\t<LONDON>
                """);
    }

    @Test
    void codeBlocksAndBareLinksAreKeptAsTheyAre() {
        String text = """
                Install it like this:
                ```
                mvn -B verify
                echo "do not translate me"
                ```
                ~~~python
                print("hello")
                ~~~
                https://example.org/docs?page=2
                - info@example.org
                - /usr/share/doc/nightshift

                See the manual at https://example.org for more.
                """;
        TextLayout layout = TextLayout.of(text);
        assertThat(layout.translatable()).containsExactly("Install it like this:", "See the manual at https://example.org for more.");
        assertThat(layout.render(s -> "X")).isEqualTo("""
                X
                ```
                mvn -B verify
                echo "do not translate me"
                ```
                ~~~python
                print("hello")
                ~~~
                https://example.org/docs?page=2
                - info@example.org
                - /usr/share/doc/nightshift

                X
                """);
    }

    @Test
    void anUnclosedCodeBlockRunsToTheEnd() {
        assertThat(TextLayout.of("Text.\n```\ncode\nmore code\n").translatable()).containsExactly("Text.");
    }

    @Test
    void aTranslationCannotAddLinesOrParagraphs() {
        TextLayout layout = TextLayout.of("- one\n- two\n");
        assertThat(layout.render(s -> "\n\nfirst line\nsecond line\n\n")).isEqualTo("- first line second line\n- first line second line\n");
    }

    /** Translating nothing (identity) gives every sample back with only its paragraphs' hard line breaks joined. */
    @Test
    void theIdentityTranslationKeepsEveryLineStructureOfEverySample() throws IOException {
        List<Path> samples;
        try (Stream<Path> walk = Files.walk(Path.of("../samples"))) {
            samples = walk.filter(p -> p.toString().endsWith(".txt") || p.toString().endsWith(".md")).toList();
        }
        assertThat(samples).isNotEmpty();
        for (Path sample : samples) {
            String text = Files.readString(sample);
            String back = TextLayout.of(text).render(s -> s);
            assertThat(blankLines(back)).as(sample.toString()).isEqualTo(blankLines(text));
            assertThat(back.replaceAll("\\s+", " ")).as(sample.toString()).isEqualTo(text.replaceAll("\\s+", " "));
        }
    }

    private static long blankLines(String text) {
        return text.lines().filter(String::isBlank).count();
    }

    @Test
    void emptyAndWhitespaceOnlyTextsHaveNothingToTranslate() {
        assertThat(TextLayout.of("").translatable()).isEmpty();
        assertThat(TextLayout.of("\n\n  \n").render(s -> "x")).isEqualTo("\n\n  \n");
        assertThat(TextLayout.of("2024-01-31 | 1,200.50\n").translatable()).isEmpty();
    }
}
