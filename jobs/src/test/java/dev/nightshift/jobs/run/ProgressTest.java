package dev.nightshift.jobs.run;

import dev.nightshift.pipeline.run.RunListener;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

class ProgressTest {
    /** A clock the test moves by hand. */
    static final class Manual extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    /** The seconds in "about 3 min 20 s left", or -1 when the line has no estimate. */
    static long secondsLeft(String line) {
        var m = java.util.regex.Pattern.compile("about (?:(\\d+) h )?(?:(\\d+) min )?(?:([0-9.]+) s)? ?left").matcher(line);
        if (!m.find()) return -1;
        long h = m.group(1) == null ? 0 : Long.parseLong(m.group(1));
        long min = m.group(2) == null ? 0 : Long.parseLong(m.group(2));
        double sec = m.group(3) == null ? 0 : Double.parseDouble(m.group(3));
        return h * 3600 + min * 60 + (long) sec;
    }

    @Test
    void theTimeLeftComesFromBytesAndALongDocumentIsNamedByItsPath() {
        Manual clock = new Manual();
        try (Progress p = Progress.create("summarize", false, new PrintWriter(new StringWriter()), clock, Duration.ZERO)) {
            p.relativeTo(java.util.List.of(java.nio.file.Path.of("/a")));
            p.discovered(100, 10_000_000);
            assertThat(p.line(clock.now)).startsWith("0/at least 100 files (0 KB of at least 10.0 MB)");
            p.discoveryFinished(12, 111_000_000);
            // A first small file after 20 s: far too little to tell how long 111 MB take (it said "1708 h left").
            p.started("/a/first.txt", 100_000);
            clock.now = clock.now.plusSeconds(20);
            p.finished("/a/first.txt", RunListener.Outcome.DONE, "1 chunk");
            assertThat(p.line(clock.now)).isEqualTo("1/12 files (100 KB of 111.0 MB), 0 failed, 0 skipped, 20.0 s elapsed");
            // Ten files of 1 MB, 2 s each: 10% of the bytes, a rate to go by. The large file's 100 MB take about 200 s.
            for (int i = 0; i < 10; i++) {
                p.started("/a/small" + i + ".txt", 1_000_000);
                clock.now = clock.now.plusSeconds(2);
                p.finished("/a/small" + i + ".txt", RunListener.Outcome.DONE, "1 chunk");
            }
            p.started("/a/logs/big.pdf", 100_000_000);
            long first = secondsLeft(p.line(clock.now));
            assertThat(first).as("the first estimate (the start-up seconds count against the rate)").isBetween(150L, 500L);
            // 100 s into the large file (it ends in about 100 s more): its bytes are not all still to do, as
            // the rate over finished files alone says (23 min), and the figure moves by a part of one reading.
            clock.now = clock.now.plusSeconds(100);
            String line = p.line(clock.now);
            assertThat(secondsLeft(line)).as(line).isBetween(100L, 600L);
            assertThat(line).endsWith("; working on logs/big.pdf for 1 min 40 s");
        }
    }

    @Test
    void aStatusFileThatCannotBeWrittenIsSaidInTheSummary(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path file = dir.resolve("no-such-folder").resolve("run.status.json");
        try (Progress p = Progress.create("summarize", false, new PrintWriter(new StringWriter()), new Manual(), Duration.ZERO)
                .withStatusFile(file)) {
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
            while (p.statusFileProblem() == null && System.nanoTime() < deadline) Thread.sleep(20);
            assertThat(p.statusFileProblem()).contains("run.status.json", "no such file or folder", "'status' in another terminal");
        }
    }

    @Test
    void aStatusFileThatIsWrittenIsNoProblem(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path file = dir.resolve("run.status.json");
        try (Progress p = Progress.create("summarize", false, new PrintWriter(new StringWriter()), new Manual(), Duration.ZERO)
                .withStatusFile(file)) {
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
            while (!java.nio.file.Files.exists(file) && System.nanoTime() < deadline) Thread.sleep(20);
            assertThat(file).exists();
            assertThat(p.statusFileProblem()).isNull();
        }
    }

    @Test
    void skippedBytesDoNotMakeTheRateLookFast() {
        Manual clock = new Manual();
        try (Progress p = Progress.create("summarize", false, new PrintWriter(new StringWriter()), clock, Duration.ZERO)) {
            p.discoveryFinished(3, 3_000_000);
            p.started("/a/unchanged.txt", 1_000_000);
            p.finished("/a/unchanged.txt", RunListener.Outcome.SKIPPED, "unchanged");
            p.started("/a/new.txt", 1_000_000);
            clock.now = clock.now.plusSeconds(20);
            p.finished("/a/new.txt", RunListener.Outcome.DONE, "1 chunk");
            p.started("/a/last.txt", 1_000_000);
            // 1 MB worked on in 20 s, 1 MB left: about 20 s, not the 10 s the skipped megabyte would suggest.
            assertThat(p.line(clock.now)).contains("about 20.0 s left");
        }
    }
}
