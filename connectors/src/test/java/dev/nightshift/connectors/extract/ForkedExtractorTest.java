package dev.nightshift.connectors.extract;

import dev.nightshift.pipeline.core.Extraction;
import dev.nightshift.pipeline.core.ExtractionStatus;
import dev.nightshift.pipeline.core.SourceItem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Extraction in child JVMs: the same results, and failures that stay inside the child. */
class ForkedExtractorTest {
    static final Path SAMPLES = TikaExtractorTest.SAMPLES;

    @TempDir
    Path dir;

    private ForkedExtractor extractor(Duration timeout, int heapMb, int writeLimit) {
        return new ForkedExtractor(new ForkedExtractor.Settings(1, timeout, heapMb, writeLimit, false,
                List.of("-Djava.io.tmpdir=" + dir, "-Dpdfbox.fontcache=" + dir), null));
    }

    private static SourceItem item(Path file) throws IOException {
        return new SourceItem(file.toString(), file, Files.size(file), null);
    }

    @Test
    void givesTheSameResultsAsInProcessExtraction() throws IOException {
        List<Path> samples;
        try (Stream<Path> walk = Files.walk(SAMPLES)) {
            samples = walk.filter(Files::isRegularFile).sorted().toList();
        }
        Map<String, String> expected = TikaExtractorTest.EXPECTED;
        try (ForkedExtractor forked = extractor(Duration.ofSeconds(60), 512, 1_000_000)) {
            assertThat(forked.name()).startsWith("tika-forked-v2/tika-3.");
            for (Path sample : samples) {
                String name = SAMPLES.relativize(sample).toString();
                Extraction e = forked.extract(item(sample));
                String want = expected.get(name);
                if (want.equals(want.toUpperCase())) {
                    assertThat(e.status()).as(name).isEqualTo(ExtractionStatus.valueOf(want));
                } else {
                    assertThat(e.status()).as(name + ": " + e.error()).isEqualTo(ExtractionStatus.SUCCESS);
                    assertThat(e.text()).as(name).contains(want);
                    assertThat(e.extractor()).isEqualTo(forked.name());
                }
            }
        }
    }

    /**
     * Tests run from class folders, which the JVM cannot put in a class-data archive: the child says so
     * on exit and writes nothing. That must leave no temporary file behind and change nothing else.
     * (Through the packaged jar the archive is written and used: ProcessLifecycleIT.)
     */
    @Test
    void aClassPathThatCannotBeArchivedLeavesNothingBehind() throws IOException {
        Path cache = dir.resolve("cache");
        Path text = Files.writeString(dir.resolve("a.txt"), "Plain words for the archive test.");
        ForkedExtractor.Settings settings = new ForkedExtractor.Settings(2, Duration.ofSeconds(60), 256, 1_000_000, false,
                List.of("-Djava.io.tmpdir=" + dir), cache);
        for (int run = 0; run < 2; run++) {
            try (ForkedExtractor forked = new ForkedExtractor(settings)) {
                Extraction e = forked.extract(item(text));
                assertThat(e.status()).as(e.error()).isEqualTo(ExtractionStatus.SUCCESS);
                assertThat(e.text()).contains("Plain words");
            }
            try (Stream<Path> files = Files.list(cache)) {
                assertThat(files.toList()).isEmpty();
            }
        }
    }

    @Test
    void aTimeoutStopsTheChildAndTheNextFileGetsAFreshOne() throws IOException {
        Path text = Files.writeString(dir.resolve("a.txt"), "A short text that parses quickly in a warm process.");
        try (ForkedExtractor forked = extractor(Duration.ofMillis(1), 512, 1_000_000)) {
            Extraction slow = forked.extract(item(SAMPLES.resolve("reports/library-annual-report.pdf")));
            assertThat(slow.status()).isEqualTo(ExtractionStatus.TIMEOUT);
            assertThat(slow.error()).contains("stopped");
        }
        try (ForkedExtractor forked = extractor(Duration.ofSeconds(60), 512, 1_000_000)) {
            assertThat(forked.extract(item(text)).status()).isEqualTo(ExtractionStatus.SUCCESS);
        }
    }

    @Test
    void anOutOfMemoryErrorIsRecordedAndTheRunGoesOn() throws IOException {
        // 100 MB of text kept in full needs well over a 128 MB heap (the builder doubles as it grows).
        Path big = dir.resolve("big.txt");
        try (BufferedWriter w = Files.newBufferedWriter(big)) {
            String line = "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor.\n";
            for (int i = 0; i < 100_000_000 / line.length(); i++) w.write(line);
        }
        Path small = Files.writeString(dir.resolve("small.txt"), "Still fine after the crash of the previous parser.");
        try (ForkedExtractor forked = extractor(Duration.ofSeconds(120), 128, Integer.MAX_VALUE - 16)) {
            Extraction oom = forked.extract(item(big));
            assertThat(oom.status()).as(oom.error()).isEqualTo(ExtractionStatus.OUT_OF_MEMORY);
            assertThat(oom.error()).contains("128 MB");
            Extraction next = forked.extract(item(small));
            assertThat(next.status()).as(next.error()).isEqualTo(ExtractionStatus.SUCCESS);
            assertThat(next.text()).contains("Still fine");
        }
    }

    /** A Latin-1 name ({@code caf\xe9.txt}) is read by the child too: the request's string would name another file. */
    @Test
    void aFileWhoseNameIsNotUtf8IsRead() throws Exception {
        Path in = Files.createDirectories(dir.resolve("in"));
        Path file = dev.nightshift.connectors.folder.FileNamesTest.latin1File(in, 0xE9, "Das Café am Markt öffnet um acht Uhr und schließt um sechs.");
        try (ForkedExtractor forked = extractor(Duration.ofSeconds(60), 512, 1_000_000)) {
            Extraction e = forked.extract(new SourceItem(dev.nightshift.connectors.folder.FileNames.display(file), file, Files.size(file), null));
            assertThat(e.status()).as(e.error()).isEqualTo(ExtractionStatus.SUCCESS);
            assertThat(e.text()).contains("Café am Markt");
        }
        // The link the child opened it by is gone.
        try (Stream<Path> tmp = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            assertThat(tmp.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(ForkedExtractor.LINK_PREFIX) && n.endsWith("caf\\xE9.txt"));
        }
    }
}
