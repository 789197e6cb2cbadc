package dev.nightshift.pipeline.text;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LeadingBlankLinesTest {
    @Test
    void blankLinesBeforeTheFirstLineGoItsIndentationStays() {
        assertThat(LeadingBlankLines.drop("\n\n\n  \t\nApache Tika\n\nmore\n\n")).isEqualTo("Apache Tika\n\nmore\n\n");
        assertThat(LeadingBlankLines.drop("\r\n\r\n    indented first line\n")).isEqualTo("    indented first line\n");
        assertThat(LeadingBlankLines.drop("no blank line")).isEqualTo("no blank line");
        assertThat(LeadingBlankLines.drop("  starts with spaces")).isEqualTo("  starts with spaces");
        assertThat(LeadingBlankLines.drop("\n\n\n")).isEqualTo("");
        assertThat(LeadingBlankLines.drop("")).isEqualTo("");
    }
}
