package dev.nightshift.jobs;

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

    @Test
    void theTimeLeftComesFromBytesAndALongDocumentIsNamed() {
        Manual clock = new Manual();
        try (Progress p = Progress.create("summarize", false, new PrintWriter(new StringWriter()), clock, Duration.ZERO)) {
            p.discovered(100, 10_000_000);
            assertThat(p.line(clock.now)).startsWith("0/at least 100 files (0 KB of at least 10.0 MB)");
            p.discoveryFinished(3, 101_000_000);
            // Two small files done in 10 s; the big one is still to come: the estimate is by its bytes.
            p.started("/a/small1.txt", 500_000);
            p.started("/a/small2.txt", 500_000);
            p.finished("/a/small1.txt", RunListener.Outcome.DONE, "1 chunk");
            p.finished("/a/small2.txt", RunListener.Outcome.DONE, "1 chunk");
            p.started("/a/big.pdf", 100_000_000);
            clock.now = clock.now.plusSeconds(10);
            // Too early to tell: no estimate yet.
            assertThat(p.line(clock.now)).isEqualTo("2/3 files (1.0 MB of 101.0 MB), 0 failed, 0 skipped, 10.0 s elapsed");
            clock.now = clock.now.plusSeconds(10);
            assertThat(p.line(clock.now)).startsWith("2/3 files (1.0 MB of 101.0 MB), 0 failed, 0 skipped, 20.0 s elapsed, about 33 min 20 s left")
                    .endsWith("; working on big.pdf for 20.0 s");
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
