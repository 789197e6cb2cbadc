package dev.nightshift.connectors.extract;

import org.apache.tika.langdetect.opennlp.OpenNLPDetector;
import org.apache.tika.language.detect.LanguageResult;
import org.junit.jupiter.api.Test;
import java.sql.*;
import java.util.*;
import dev.nightshift.pipeline.text.LanguageSample;

class ScratchProbeTest {
    @Test
    void probe() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:/tmp/before/db;ACCESS_MODE_DATA=r", "nightshift", "")) {
            ResultSet rs = c.createStatement().executeQuery("SELECT s.locator, d.language, x.content FROM extractions x JOIN documents d ON d.id=x.document_id JOIN sources s ON s.id=d.source_id WHERE x.content IS NOT NULL");
            while (rs.next()) {
                String t = rs.getString(3);
                LanguageSample sample = LanguageSample.of(t);
                OpenNLPDetector d = new OpenNLPDetector(); d.loadModels();
                d.addText(sample.text());
                List<LanguageResult> r = d.detectAll();
                String loc = rs.getString(1); loc = loc.substring(loc.lastIndexOf("corpus/") + 7);
                System.out.printf("PROBE|%s|%s|%d|%s|%.3f|%s|%.3f|%s%n", loc, rs.getString(2), sample.letters(), r.get(0).getLanguage(), r.get(0).getRawScore(),
                        r.get(1).getLanguage(), r.get(1).getRawScore(), sample.text().substring(0, Math.min(60, sample.text().length())));
            }
        }
    }
}
