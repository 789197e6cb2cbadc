package dev.nightshift.connectors.formats;

import dev.nightshift.pipeline.store.SegmentRows.Segment;
import dev.nightshift.pipeline.store.SegmentRows.SegmentFile;
import net.sf.okapi.lib.xliff2.reader.XLIFFReader;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ReviewXliffTest {
    @Test
    void theNightsFilesAreOneValidXliffDocumentWithCodesAndNotes() {
        StringWriter out = new StringWriter();
        try (ReviewXliff x = new ReviewXliff(out, "en", "de")) {
            x.add(new SegmentFile("/in/report.docx", "/out/report.de.docx", "en", "de", List.of(
                    new Segment(0, "Port tonnage", "Hafenumschlag", "[]", false),
                    new Segment(2, "The port handled <g1>2.1 million tonnes</g1>, see <g2>the report</g2><x3/>.",
                            "Der Hafen schlug <g1>2,1 Millionen Tonnen</g1> um, siehe <g2>den Bericht</g2><x3/>.", "[]", false))));
            x.add(new SegmentFile("/in/a & b <c>.html", "/out/a & b <c>.de.html", "en", "de", List.of(
                    new Segment(0, "Total: 84,000 visits", "Insgesamt: 48.000 Besuche",
                            "[{\"issue\":\"NUMBER_LOST\",\"detail\":\"84000\"}]", true))));
            assertThat(x.files()).isEqualTo(2);
        }
        String xliff = out.toString();
        // Okapi's own reader, with every check XLIFF 2.0 defines, accepts it.
        XLIFFReader.validate(new ByteArrayInputStream(xliff.getBytes(StandardCharsets.UTF_8)), null);
        assertThat(xliff).contains("srcLang=\"en\"").contains("trgLang=\"de\"")
                .contains("original=\"/in/report.docx\"").contains("original=\"/in/a &amp; b &lt;c>.html\"")
                .contains("<unit id=\"u2\">")
                .contains("Der Hafen schlug <pc id=\"1\">2,1 Millionen Tonnen</pc> um")
                .contains("<ph id=\"x3\"/>")
                .contains("nightshift check: [{\"issue\":\"NUMBER_LOST\",\"detail\":\"84000\"}]");
    }
}
