package dev.nightshift.connectors.formats;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GlossaryTest {
    @TempDir
    Path dir;

    @Test
    void csvAndTsvFilesWithAHeaderQuotesAndNotesAreRead() throws IOException {
        Path csv = Files.writeString(dir.resolve("terms.csv"), """
                \uFEFFsource,target,note
                # the port's own words
                harbour office,Hafenamt,the port authority's office
                "quay, east",Ostkai,
                "the ""Riverside"" library",Stadtbibliothek Riverside
                Rotterdam,,
                """);
        Glossary g = Glossary.load(csv, List.of("NightShift"));
        assertThat(g.size()).isEqualTo(5);
        assertThat(g.in("The harbour office on the quay, east of the \"Riverside\" library"))
                .extracting(Glossary.Term::source).containsExactly("the \"Riverside\" library", "harbour office", "quay, east");
        assertThat(g.in("Ask the Harbour Office in ROTTERDAM about NightShift."))
                .extracting(Glossary.Term::expected).containsExactlyInAnyOrder("Hafenamt", "Rotterdam", "NightShift");

        Path tsv = Files.writeString(dir.resolve("terms.tsv"), "crane\tKran\nharbour\tHafen\tthe place\n");
        Glossary t = Glossary.load(tsv, List.of());
        assertThat(t.in("the cranes of the harbour")).extracting(Glossary.Term::target).containsExactly("Hafen"); // whole words only
    }

    @Test
    void aLongerTermTakesItsWordsBeforeAShorterOne() {
        Glossary g = new Glossary(List.of(new Glossary.Term("harbour", "Hafen", ""), new Glossary.Term("harbour office", "Hafenamt", "")));
        assertThat(g.in("Write to the harbour office.")).extracting(Glossary.Term::target).containsExactly("Hafenamt");
        assertThat(g.in("The harbour office is by the harbour.")).extracting(Glossary.Term::target).containsExactly("Hafenamt", "Hafen");
    }

    @Test
    void thePromptAsksForTheTermsAndTheCheckFindsTheOnesNotUsed() {
        List<Glossary.Term> found = List.of(new Glossary.Term("harbour office", "Hafenamt", "the port authority"),
                new Glossary.Term("Rotterdam", null, ""));
        assertThat(Glossary.instruction(found))
                .isEqualTo("Translate \"harbour office\" as \"Hafenamt\" (the port authority). Keep \"Rotterdam\" exactly as written.");
        assertThat(Glossary.instruction(List.of())).isEmpty();
        assertThat(Glossary.missed(found, "Das hafenamt in Rotterdam")).isEmpty(); // the target term in any case
        assertThat(Glossary.missed(found, "Die Hafenbehörde in rotterdam")).extracting(Glossary.Term::source)
                .containsExactly("harbour office", "Rotterdam"); // a kept term as written
    }

    @Test
    void aLineThatIsNotATermIsRefusedWithItsNumber() throws IOException {
        Path bad = Files.writeString(dir.resolve("bad.csv"), "crane,Kran\n\"unclosed,Kran\n");
        assertThatThrownBy(() -> Glossary.load(bad, List.of())).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line 2");
        Path empty = Files.writeString(dir.resolve("empty.csv"), "crane,Kran\n,Hafen\n");
        assertThatThrownBy(() -> Glossary.load(empty, List.of())).hasMessageContaining("line 2: no source term");
    }
}
