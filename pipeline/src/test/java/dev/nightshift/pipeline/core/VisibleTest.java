package dev.nightshift.pipeline.core;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class VisibleTest {
    @Test
    void controlAndBidiCharactersBecomeVisibleEscapes() {
        assertThat(Visible.safe("plain name.pdf")).isEqualTo("plain name.pdf");
        assertThat(Visible.safe("Übersicht – 東京.docx")).isEqualTo("Übersicht – 東京.docx");
        assertThat(Visible.safe("a\u001b[2Jb")).isEqualTo("a\\x1b[2Jb");
        assertThat(Visible.safe("x\u009by")).isEqualTo("x\\x9by");
        assertThat(Visible.safe("invoice\u202efdp.exe")).isEqualTo("invoice\\u202efdp.exe");
        assertThat(Visible.safe("two\nlines")).isEqualTo("two\nlines");
        assertThat(Visible.line("two\r\nlines")).isEqualTo("two\\nlines");
        // On one line a tab is shown too: a name "a<TAB>b" must not pass for "a    b".
        assertThat(Visible.safe("a\tb")).isEqualTo("a\tb");
        assertThat(Visible.line("a\tb\u001b")).isEqualTo("a\\tb\\x1b");
    }
}
