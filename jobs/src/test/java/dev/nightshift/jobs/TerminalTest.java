package dev.nightshift.jobs;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TerminalTest {
    @Test
    void controlAndBidiCharactersBecomeVisibleEscapes() {
        assertThat(Terminal.safe("plain name.pdf")).isEqualTo("plain name.pdf");
        assertThat(Terminal.safe("Übersicht – 東京.docx")).isEqualTo("Übersicht – 東京.docx");
        assertThat(Terminal.safe("a\u001b[2Jb")).isEqualTo("a\\x1b[2Jb");
        assertThat(Terminal.safe("x\u009by")).isEqualTo("x\\x9by");
        assertThat(Terminal.safe("invoice\u202efdp.exe")).isEqualTo("invoice\\u202efdp.exe");
        assertThat(Terminal.safe("two\nlines")).isEqualTo("two\nlines");
        assertThat(Terminal.line("two\r\nlines")).isEqualTo("two\\nlines");
    }
}
