package dev.nightshift.connectors.extract;

import dev.nightshift.pipeline.chunk.Chunker;
import dev.nightshift.pipeline.chunk.HeuristicTokenCounter;
import dev.nightshift.pipeline.core.Chunk;
import dev.nightshift.pipeline.core.EmbeddedDocument;
import dev.nightshift.pipeline.core.Extraction;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Every sample's text, and every entry's, chunked small enough to need many chunks: nothing is lost. */
class SamplesChunkingTest {
    @Test
    void everySampleIsChunkedWithoutLosingACharacter() throws IOException {
        List<Path> samples;
        try (Stream<Path> walk = Files.walk(TikaExtractorTest.SAMPLES)) {
            samples = walk.filter(Files::isRegularFile).sorted().toList();
        }
        int documents = 0;
        for (Path sample : samples) {
            Extraction e = TikaExtractorTest.extract(sample);
            List<Extraction> all = new ArrayList<>(List.of(e));
            e.embedded().stream().map(EmbeddedDocument::extraction).forEach(all::add);
            for (Extraction x : all) {
                if (!x.status().usable()) continue;
                documents++;
                Locale locale = x.language() == null ? Locale.ROOT : Locale.forLanguageTag(x.language());
                List<Chunk> chunks = new Chunker(HeuristicTokenCounter.INSTANCE, 40, locale).split(x.text());
                String text = x.text();
                int previousEnd = 0;
                for (Chunk c : chunks) {
                    assertThat(c.tokenCount()).as(sample.toString()).isLessThanOrEqualTo(40);
                    assertThat(text.substring(previousEnd, c.charStart())).as(sample.toString()).isBlank();
                    assertThat(text.substring(c.charStart(), c.charEnd())).isEqualTo(c.text());
                    previousEnd = c.charEnd();
                }
                assertThat(text.substring(previousEnd)).as(sample.toString()).isBlank();
                assertThat(chunks.size()).as(sample.toString()).isGreaterThan(1);
            }
        }
        assertThat(documents).isEqualTo(18); // 15 readable files, an attachment and two archive entries
    }
}
