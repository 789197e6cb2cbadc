package dev.nightshift.jobs.cli;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * What libraries leave in the temporary folder when a process is killed: ONNX Runtime's extracted
 * native libraries ({@code onnxruntime-java*}), Tika's spooled streams ({@code apache-tika-*.tmp}) and
 * the links by which extraction processes open files whose names are not text ({@code nightshift-link-*};
 * the link goes, never what it leads to).
 * Each process deletes its own when it exits normally; after a kill they pile up. Those a day old are
 * deleted when a command starts (no process keeps either that long: a library is loaded at start and
 * can go once loaded, a spooled stream lives for one file's parse).
 */
public final class TempFiles {
    private static final Logger log = LoggerFactory.getLogger(TempFiles.class);
    private static final List<String> PREFIXES = List.of("onnxruntime-java", "apache-tika-",
            dev.nightshift.connectors.extract.ForkedExtractor.LINK_PREFIX);
    private static final Duration AGE = Duration.ofDays(1);

    private TempFiles() {
    }

    public static void sweep(Path tmp) {
        Instant before = Instant.now().minus(AGE);
        try (Stream<Path> entries = Files.list(tmp)) {
            for (Path p : entries.toList()) {
                String name = p.getFileName().toString();
                if (PREFIXES.stream().noneMatch(name::startsWith)) continue;
                if (Files.getLastModifiedTime(p, java.nio.file.LinkOption.NOFOLLOW_LINKS).toInstant().isAfter(before)) continue;
                try (Stream<Path> all = Files.walk(p)) {
                    for (Path f : all.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(f);
                }
            }
        } catch (IOException | RuntimeException e) {
            log.debug("cannot sweep {}", tmp, e);
        }
    }
}
