package dev.nightshift.pipeline.ground;

import dev.nightshift.pipeline.core.Evidence;
import dev.nightshift.pipeline.core.SentenceCheck;
import dev.nightshift.pipeline.core.Grounding;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GroundingCheckTest {
    static final String SOURCE = """
            The meeting on 31 March 2027 was held in Paris. Anna Weber chaired it, and Tom Berg took the minutes.
            The budget rose by 4 % to 1,200 euros. The new library will not open before May.

            The annual conference in Lyon is planned for the autumn.
            """;
    final GroundingCheck check = new GroundingCheck();

    private SentenceCheck one(String claim) {
        List<SentenceCheck> s = check.check(claim, SourceText.of(SOURCE), GroundingCheck.Mode.ALIGN).sentences();
        assertEquals(1, s.size(), s.toString());
        return s.get(0);
    }

    @Test
    void aFaithfulSentenceIsSupportedWithItsEvidenceSpan() {
        SentenceCheck s = one("The budget rose by four percent to 1200 euros.");
        assertTrue(s.supported(), s.toString());
        assertEquals(1.0, s.score());
        Evidence e = s.evidence().get(0);
        assertEquals("The budget rose by 4 % to 1,200 euros.", SOURCE.substring(e.start(), e.end()));
        assertEquals(e.text(), SOURCE.substring(e.start(), e.end()));
    }

    @Test
    void optionsIdentifiersAndQuotedStringsMustBeFoundAsWritten() {
        String manual = """
                Run the tool with --dry-run to see what would change without changing it. Settings are read from
                config.yaml in the working folder (or APT::Get::Upgrade-Source); the key max_jobs limits the jobs run at once. OpenJDK 17 or later
                is needed. The log says "nothing to do" when all is current, e.g. after a second run.
                """;
        java.util.function.Function<String, SentenceCheck> one = claim -> {
            List<SentenceCheck> s = check.check(claim, SourceText.of(manual), GroundingCheck.Mode.ALIGN).sentences();
            assertEquals(1, s.size(), s.toString());
            return s.get(0);
        };
        assertTrue(one.apply("Run the tool with --dry-run to see what would change.").supported());
        assertTrue(one.apply("Settings come from config.yaml, and max_jobs limits how many jobs run at once.").supported());
        assertTrue(one.apply("The log says \"nothing to do\" when all is current, e.g. after a well-known second run.").supported());
        // One option for another, a file or key the source never names, a product it never mentions: flagged
        // however well the other words overlap.
        assertEquals(List.of("identifier:--force"), one.apply("Run the tool with --force to see what would change.").flags());
        assertEquals(List.of("identifier:settings.yaml"), one.apply("Settings are read from settings.yaml in the working folder.").flags());
        assertEquals(List.of("identifier:max_workers"), one.apply("The key max_workers limits the jobs run at once.").flags());
        assertTrue(one.apply("Settings can also come from APT::Get::Upgrade-Source.").supported());
        assertTrue(one.apply("Settings can also come from APT::Get::Upgrade-Binary.").flags().contains("identifier:APT::Get::Upgrade-Binary"));
        assertFalse(one.apply("GraalVM 17 or later is needed.").supported());
        assertEquals(List.of("identifier:all done"), one.apply("The log says \"all done\" when all is current.").flags());
    }

    @Test
    void aReleaseItemIsSupportedWithTheVersionOfItsHeading() {
        // As GNU NEWS files are laid out: releases apart by a page break (which extraction may turn into
        // U+FFFD), a heading with version, author and date, a blank line, then the items.
        for (String pageBreak : new String[] {"\f", "\uFFFD"}) {
            String news = "GNU tar NEWS - User visible changes. 2021-02-13\nPlease send bug reports to <bug-tar@gnu.org>\n" + pageBreak
                    + "\nversion 1.34 - Sergey Poznyakoff, 2021-02-13\n\n* Fix extraction over pipe (savannah bug #60002)\n\n"
                    + "* Fix memory leak in read_header (savannah bug #59897)\n\n* Re-initialize supplementary groups\n\n" + pageBreak
                    + "\nversion 1.33 - Sergey Poznyakoff, 2021-01-07\n\n* Fix the --no-overwrite-dir option\n\n"
                    + "* Fix handling of chained renames in incremental backups\n\n" + pageBreak
                    // Older releases, as a NEWS file has many: "version" is a common word there, not evidence.
                    + "\nversion 1.32 - Sergey Poznyakoff, 2019-02-23\n\n* Fix the use of --checkpoint without explicit --checkpoint-action\n\n"
                    + "* Fix extraction with the -U option\n\n" + pageBreak
                    + "\nversion 1.31 - Sergey Poznyakoff, 2019-01-02\n\n* Fix heap-buffer-overrun with --one-top-level\n\n"
                    + "* Support for zstd compression\n\n" + pageBreak
                    + "\nversion 1.30 - Sergey Poznyakoff, 2017-12-17\n\n* Member names containing '..' components are now skipped when extracting\n";
            java.util.function.Function<String, SentenceCheck> one = claim ->
                    check.check(claim, SourceText.of(news), GroundingCheck.Mode.ALIGN).sentences().get(0);
            assertTrue(one.apply("Version 1.34 fixed a memory leak in read_header.").supported(), pageBreak);
            assertTrue(one.apply("Version 1.33 fixed the --no-overwrite-dir option.").supported(), pageBreak);
            assertEquals(List.of("number:1.33"), one.apply("Version 1.33 fixed a memory leak in read_header.").flags().subList(0, 1), pageBreak);
            assertFalse(one.apply("Version 1.34 fixed the --no-overwrite-dir option.").supported(), pageBreak);
        }
    }

    @Test
    void datesMeetInAnyForm() {
        assertTrue(one("The meeting was held in Paris on 2027-03-31.").supported());
        assertEquals(List.of("date:2027-03-30"), one("The meeting was held in Paris on 2027-03-30.").flags());
    }

    @Test
    void aChangedFactIsNamed() {
        assertEquals(List.of("number:17 %"), one("The budget rose by 17 % to 1,200 euros.").flags());
        // Lyon is in the source, but not in what it says about the meeting.
        assertEquals(List.of("name:Lyon"), one("The meeting on 31 March 2027 was held in Lyon.").flags());
        assertEquals(List.of("negation:not open"), one("The new library will open before May.").flags().subList(0, 1));
        assertFalse(one("Tom Berg chaired it, and Anna Weber took the minutes.").supported());
    }

    @Test
    void wordsNotInTheSourceAreNotSupported() {
        SentenceCheck s = one("Volcanic eruptions disrupted shipping routes across Iceland.");
        assertFalse(s.supported());
        assertTrue(s.score() < GroundingCheck.MIN_SCORE);
        assertEquals("words", s.flags().get(0));
        assertTrue(s.evidence().isEmpty());
    }

    @Test
    void aTranslationIsCheckedForItsNumbersAndDatesOnly() {
        Grounding g = check.check("Das Budget stieg um 4 % auf 1.200 Euro. Die Sitzung war am 30. März 2027.", SourceText.of(SOURCE),
                GroundingCheck.Mode.FACTS);
        assertTrue(g.sentences().get(0).supported(), g.toString());
        assertEquals(List.of("date:30. März 2027"), g.sentences().get(1).flags());
        assertEquals(1, g.unsupported());
    }

    @Test
    void onlyTheRegionsGivenAreSource() {
        int cut = SOURCE.indexOf("The annual");
        SourceText first = SourceText.of(SOURCE, List.of(new Span(0, cut)));
        Grounding g = check.check("The annual conference in Lyon is planned for the autumn.", first, GroundingCheck.Mode.ALIGN);
        assertFalse(g.sentences().get(0).supported());
    }
}
