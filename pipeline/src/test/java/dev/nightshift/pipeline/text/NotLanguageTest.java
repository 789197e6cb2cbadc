package dev.nightshift.pipeline.text;

import org.junit.jupiter.api.Test;

import java.util.Base64;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class NotLanguageTest {
    private static byte[] random(int n) {
        byte[] bytes = new byte[n];
        new Random(7).nextBytes(bytes);
        return bytes;
    }

    @Test
    void base64IsNotLanguage() {
        String mime = Base64.getMimeEncoder().encodeToString(random(3000)); // lines of 76 characters
        assertThat(NotLanguage.reason(mime)).hasValueSatisfying(r -> assertThat(r).contains("base64"));
        // A few words before a long payload do not make it language (a .p7m entry, a web archive).
        assertThat(NotLanguage.reason("1234 1234 link.pdf " + Base64.getEncoder().encodeToString(random(2000)))).isPresent();
    }

    @Test
    void hexDumpsAndBinaryNoiseAreNotLanguage() {
        StringBuilder dump = new StringBuilder();
        byte[] bytes = random(512);
        for (int row = 0; row < bytes.length; row += 16) {
            dump.append(String.format("%08x:", row));
            for (int i = row; i < row + 16; i++) dump.append(String.format(" %02x", bytes[i]));
            dump.append('\n');
        }
        assertThat(NotLanguage.reason(dump.toString())).hasValueSatisfying(r -> assertThat(r).contains("hex"));

        StringBuilder noise = new StringBuilder();
        for (byte b : random(2000)) noise.append(b < 0 ? '\uFFFD' : (char) b);
        assertThat(NotLanguage.reason(noise.toString())).isPresent();
    }

    @Test
    void languageInAnyScriptAndTablesOfFiguresAreLanguage() {
        assertThat(NotLanguage.reason("""
                The heating bill for March was corrected: 4,120 kilowatt hours instead of 5,210. The difference of
                1,090 kWh is credited to the tenant's account, see https://example.org/billing/corrections/2027/march-heating-bill.pdf
                for the full decision of the Verwaltungsgerichtsbarkeitsbeschwerdestelle.""")).isEmpty();
        assertThat(NotLanguage.reason("東京は日本の首都であり、世界で最も人口の多い都市圏の一つである。多くの企業の本社が置かれている。" .repeat(3))).isEmpty();
        assertThat(NotLanguage.reason("Year;Revenue;Cost;Profit\n2024;1200;800;400\n2025;1500;900;600\n2026;1700;950;750\n".repeat(5))).isEmpty();
        assertThat(NotLanguage.reason("a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p,q,r,s,t,u,v,w,x,y,z,aa,bb,cc,dd,ee,ff,gg,hh")).isEmpty();
        // Markup is set aside: XML holding a few words is language, however long its tags.
        assertThat(NotLanguage.reason("Nikolai Lobachevsky main_content <mock> <metadata action=\"add\" name=\"dc:creator\">"
                + "embeddedAuthor</metadata> <write element=\"p\">some_embedded_content</write> </mock>")).isEmpty();
        // Hex-shaped English words ("bed", "face", "add") do not make a hex dump.
        assertThat(NotLanguage.reason("A bad bee added a bead to a faded cafe bed; a deaf dad fed a cab. ".repeat(4))).isEmpty();
    }

    /** Pages that put a no-break space between every word (valgrind's manual, gcc's README.C++) are prose. */
    @Test
    void wordsSeparatedByNoBreakSpacesAreLanguage() {
        String prose = "Memcheck is a memory error detector. It can detect the following problems that are common in C and C++ programs. ";
        for (char space : new char[] {'\u00A0', '\u2007', '\u202F', '\u2009', '\u3000'}) {
            assertThat(NotLanguage.reason(prose.repeat(6).replace(' ', space))).as("U+%04X", (int) space).isEmpty();
        }
    }

    @Test
    void shortTextsAreNotJudged() {
        assertThat(NotLanguage.reason("")).isEmpty();
        assertThat(NotLanguage.reason("QUJDREVGR0hJSktMTU5PUFFSU1RVVldY")).isEmpty();
    }
}
