package dev.nightshift.connectors.formats;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SegmentChecksTest {
    private static List<SegmentIssue> issues(String source, String translation) {
        return SegmentChecks.check(0, source, translation).stream().map(SegmentFlag::issue).toList();
    }

    @Test
    void aNumberWrittenTheOtherLanguagesWayIsTheSameNumber() {
        assertThat(issues("The total is 1,234.50 euros for 84,000 visits.", "Die Summe beträgt 1.234,50 Euro für 84.000 Besuche.")).isEmpty();
        assertThat(issues("The port handled 2.1 million tonnes.", "Der Hafen schlug 2,1 Millionen Tonnen um.")).isEmpty();
    }

    @Test
    void aChangedOrDroppedNumberIsFlaggedWithTheNumber() {
        List<SegmentFlag> flags = SegmentChecks.check(3, "Total visits rose to 84,000 in 2023.", "Die Besuche stiegen 2023 auf 48.000.");
        assertThat(flags).extracting(SegmentFlag::issue).containsExactly(SegmentIssue.NUMBER_LOST);
        assertThat(flags.get(0).detail()).isEqualTo("84000");
        assertThat(flags.get(0).segment()).isEqualTo(3);
    }

    @Test
    void linksAndAddressesMustComeBackCharacterForCharacter() {
        assertThat(issues("See https://example.org/report.pdf or write to info@example.org.",
                "Siehe https://example.org/report.pdf oder schreiben Sie an info@example.org.")).isEmpty();
        assertThat(issues("See https://example.org/report.pdf for details.", "Siehe https://example.org/bericht.pdf für Details."))
                .containsExactly(SegmentIssue.LINK_LOST);
    }

    @Test
    void theSourceAgainIsUntranslatedAndAWildLengthIsFlagged() {
        assertThat(issues("The reading room was renovated.", "The reading room was renovated.")).containsExactly(SegmentIssue.UNTRANSLATED);
        assertThat(issues("The reading room was renovated last year.", "Ja.")).containsExactly(SegmentIssue.LENGTH);
        // A name alone reads the same in both languages: not a finding.
        assertThat(issues("Rotterdam", "Rotterdam")).isEmpty();
    }

    @Test
    void textWithoutWordsOrALinkOrAFileNameAloneIsNotSent() {
        assertThat(SegmentChecks.translatable("The chart below shows the tonnage.")).isTrue();
        assertThat(SegmentChecks.translatable("2,100,000")).isFalse();
        assertThat(SegmentChecks.translatable("  — ")).isFalse();
        assertThat(SegmentChecks.translatable("https://example.org/x")).isFalse();
        assertThat(SegmentChecks.translatable("tonnage-chart.png")).isFalse();
        assertThat(SegmentChecks.translatable("Quarterly tonnage chart.png shows it")).isTrue();
    }

    @Test
    void tagsMustComeBackOnceEachAndInOrder() {
        String source = "Handled <g1>2.1 million</g1> tonnes, see <g2>the report</g2><x3/>.";
        assertThat(Tags.keptIn(source, "Umgeschlagen <g1>2,1 Millionen</g1> Tonnen, siehe <g2>den Bericht</g2><x3/>.")).isTrue();
        assertThat(Tags.keptIn(source, "<g2>Der Bericht</g2><x3/>: <g1>2,1 Millionen</g1> Tonnen.")).isTrue(); // another order is fine
        assertThat(Tags.keptIn(source, "Umgeschlagen 2,1 Millionen Tonnen, siehe <g2>den Bericht</g2><x3/>.")).isFalse();
        assertThat(Tags.keptIn(source, "<g1>A</g1> <g1>B</g1> <g2>C</g2><x3/>")).isFalse();
        assertThat(Tags.keptIn(source, "</g1>A<g1> <g2>C</g2><x3/>")).isFalse();
        assertThat(Tags.movedToEnd(source, "Umgeschlagen 2,1 Millionen Tonnen, siehe <g2>den Bericht.  "))
                .isEqualTo("Umgeschlagen 2,1 Millionen Tonnen, siehe den Bericht.<g1></g1><g2></g2><x3/>");
    }
}
